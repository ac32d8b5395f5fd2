"""Readers who asked for mail and confirmed their address, and a mail server that fails,
for tests of what is mailed."""

from smtplib import SMTPServerDisconnected

from django.core.mail.backends.locmem import EmailBackend
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


class FlakyMailServer(EmailBackend):
    """The test outbox behind a server that drops the connection `failures` times."""

    failures = 0

    def send_messages(self, email_messages):  # type: ignore[no-untyped-def]
        if FlakyMailServer.failures > 0:
            FlakyMailServer.failures -= 1
            raise SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(email_messages)
