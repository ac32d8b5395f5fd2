"""Running the queued mail tasks in a test, as the worker would, one by one."""

from django.utils import timezone

from moderation.models import MailKind, MailNotification
from moderation.notifications import mail_notification_send, mail_reply_digest_send


def deliver_queued() -> None:
    """Send every queued mail that is due (replies whose digest window has passed)."""
    queued = MailNotification.objects.filter(status="queued", due_at__lte=timezone.now())
    for note in queued.exclude(kind=MailKind.REPLY):
        mail_notification_send(notification_id=note.pk)
    for recipient_id in set(queued.filter(kind=MailKind.REPLY).values_list("recipient", flat=True)):
        mail_reply_digest_send(recipient_id=recipient_id)


def end_digest_window() -> None:
    """The digest window passes for every reply held."""
    MailNotification.objects.filter(kind=MailKind.REPLY, status="queued").update(
        due_at=timezone.now()
    )
