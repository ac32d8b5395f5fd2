"""Readers who asked for mail and confirmed their address, for tests of what is mailed."""

from django.utils import timezone

from moderation.models import MailRecipient, MailSubscription


def confirmed(email: str) -> MailRecipient:
    recipient, _ = MailRecipient.objects.update_or_create(
        email=email.lower(), defaults={"confirmed_at": timezone.now()}
    )
    return recipient


def opt_in(fields: dict) -> dict:
    """The submission's fields with the box ticked, its address already confirmed."""
    if fields.get("email"):
        confirmed(fields["email"])
        fields.setdefault("notify", True)
    return fields


def subscribe(request):  # a CorrectionRequest made without the service
    if request.email:
        MailSubscription.objects.create(
            recipient=confirmed(request.email), correction_request=request
        )
    return request
