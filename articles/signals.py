"""What the correction services announce once a change is committed (ids only; see
moderation.signals for the rules receivers follow)."""

from django.dispatch import Signal

# request_ids: correction requests readers have just sent.
correction_request_created = Signal()
# correction_id, request_ids: a correction just published and the requests it resolved.
correction_published = Signal()
