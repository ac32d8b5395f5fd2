"""Mail to readers who asked for it: opting in, confirming, turning kinds off, and the
notifications themselves (a decision on one's comment, replies, a statement of reasons).

Receivers of the moderation signals only queue a task; the task calls the functions
here, which write the delivery log (MailNotification) and send. Nothing goes to an
address that is not confirmed but the one confirmation request (double opt-in).
"""

import logging
from datetime import timedelta
from typing import Any

from celery import current_app
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from articles.models import Reader
from moderation.grounds import decision_ground, is_decision_against
from moderation.mail_links import ALL_KINDS, absolute, confirm_url, decision_url
from moderation.mail_messages import mail_message
from moderation.models import (
    MAIL_KIND_MUTED_AS,
    MUTABLE_MAIL_KINDS,
    Comment,
    MailKind,
    MailNotification,
    MailRecipient,
    MailSubscription,
    ModerationEvent,
)

logger = logging.getLogger(__name__)
Note = MailNotification.Status

SEND_NOTIFICATION = "moderation.tasks.send_mail_notification"
SEND_REPLY_DIGEST = "moderation.tasks.send_reply_digest"
# What a mail server that is down or refuses looks like (smtplib's errors are OSErrors).
MAIL_ERRORS: tuple[type[Exception], ...] = (OSError,)


# --- the reader's side: opt in, confirm, turn off ---------------------------------------


def mail_opt_in(
    *, email: str, comment: Comment | None = None, correction_request: Any = None
) -> MailSubscription:
    """Record a reader's ticked box, and ask the address to confirm if it has not.

    Call inside the transaction that saves the comment or request. At most one
    confirmation request per address every MAIL_CONFIRM_RESEND_HOURS, so the forms cannot
    be used to flood someone's inbox.
    """
    recipient, _ = MailRecipient.objects.get_or_create(email=email.lower())
    subscription = MailSubscription.objects.create(
        recipient=recipient, comment=comment, correction_request=correction_request
    )
    if not recipient.is_confirmed and _reader_confirmed(recipient.email):
        recipient = mail_confirm(recipient_id=recipient.pk)
    if not recipient.is_confirmed:
        _request_confirmation(recipient)
    return subscription


def _reader_confirmed(email: str) -> bool:
    """A reader known by this address has confirmed it already (articles.Reader)."""
    return Reader.objects.filter(email__iexact=email, email_confirmed_at__isnull=False).exists()


def _request_confirmation(recipient: MailRecipient) -> None:
    if claim_first_mail(recipient):
        note = MailNotification.objects.create(recipient=recipient, kind=MailKind.CONFIRM)
        queue_after_commit(SEND_NOTIFICATION, note.pk)


def claim_first_mail(recipient: MailRecipient) -> bool:
    """Whether an unconfirmed address may get the one mail that asks it to confirm now
    (none sent within MAIL_CONFIRM_RESEND_HOURS); claimed by a conditional UPDATE, so two
    requests at once do not both send it."""
    now = timezone.now()
    cutoff = now - timedelta(hours=settings.MAIL_CONFIRM_RESEND_HOURS)
    claimed = (
        MailRecipient.objects.filter(pk=recipient.pk, confirmed_at__isnull=True)
        .filter(Q(confirmation_sent_at__isnull=True) | Q(confirmation_sent_at__lt=cutoff))
        .update(confirmation_sent_at=now)
    )
    return bool(claimed)


def mail_confirm(*, recipient_id: int) -> MailRecipient:
    """Confirm the address (once; a second click changes nothing), for the readers known
    by it as well."""
    now = timezone.now()
    MailRecipient.objects.filter(pk=recipient_id, confirmed_at__isnull=True).update(
        confirmed_at=now
    )
    recipient = MailRecipient.objects.get(pk=recipient_id)
    Reader.objects.filter(email__iexact=recipient.email, email_confirmed_at__isnull=True).update(
        email_confirmed_at=now
    )
    return recipient


def mail_mute(*, recipient_id: int, kind: str) -> MailRecipient:
    """Turn off one kind of mail (or `all` of them) for the address."""
    kinds: list[str] = list(MUTABLE_MAIL_KINDS) if kind == ALL_KINDS else [kind]
    if not set(kinds) <= set(MUTABLE_MAIL_KINDS):
        raise ValueError(f"Not a kind of mail one can turn off: {kind!r}")
    with transaction.atomic():
        recipient = MailRecipient.objects.select_for_update().get(pk=recipient_id)
        recipient.muted_kinds = sorted(set(recipient.muted_kinds) | set(kinds))
        recipient.save(update_fields=["muted_kinds"])
        # Mail of that kind still waiting (replies for a digest) is not sent either.
        recipient.notifications.filter(status=Note.QUEUED, kind__in=kinds).update(
            status=Note.SKIPPED, error="Turned off by the reader."
        )
    return recipient


# --- what happened to comments -> notifications ----------------------------------------


def notify_comments_published(*, comment_ids: list[int]) -> list[int]:
    """Tell authors who opted in that their comment is published, and the authors of the
    comments these reply to that a reply was published. Replies wait for the digest.

    Safe to run twice: a decision or a reply is mailed once (a unique constraint).
    Returns the notifications queued to send now.
    """
    comments = Comment.objects.filter(pk__in=comment_ids, status=Comment.Status.APPROVED)
    comments = comments.select_related(
        "mail_subscription__recipient", "parent__mail_subscription__recipient"
    )
    now_ids: list[int] = []
    for comment in comments:
        own = _subscription(comment)
        if own is not None and own.recipient.wants(MailKind.DECISION):
            note = _once(own.recipient, MailKind.DECISION, comment)
            if note is not None:
                now_ids.append(note.pk)
        parent_sub = _subscription(comment.parent) if comment.parent_id else None
        if parent_sub is not None:
            _queue_reply(parent_sub.recipient, comment)
    for note_id in now_ids:
        queue_after_commit(SEND_NOTIFICATION, note_id)
    return now_ids


def notify_comments_rejected(*, comment_ids: list[int]) -> list[int]:
    """A statement of reasons to each author with a confirmed address whose comment was
    rejected or hidden (the latest decision against it). Returns the notifications."""
    queued = []
    for comment in Comment.objects.filter(pk__in=comment_ids).exclude(author_email=""):
        event = latest_decision_against(comment)
        recipient = MailRecipient.objects.filter(email=comment.author_email).first()
        if event is None or recipient is None or not _may_send(recipient, MailKind.STATEMENT):
            continue
        note, created = MailNotification.objects.get_or_create(
            recipient=recipient, kind=MailKind.STATEMENT, comment=comment, event=event
        )
        if created:
            queued.append(note.pk)
            queue_after_commit(SEND_NOTIFICATION, note.pk)
    return queued


def latest_decision_against(comment: Comment) -> ModerationEvent | None:
    events = comment.events.order_by("-created_at", "-id")[:20]
    return next((e for e in events if is_decision_against(e)), None)


def _subscription(comment: Comment | None) -> MailSubscription | None:
    if comment is None:
        return None
    try:
        return comment.mail_subscription
    except MailSubscription.DoesNotExist:
        return None


def _once(
    recipient: MailRecipient, kind: str, comment: Comment, **fields: Any
) -> MailNotification | None:
    try:
        with transaction.atomic():
            return MailNotification.objects.create(
                recipient=recipient, kind=kind, comment=comment, **fields
            )
    except IntegrityError:
        return None


def _queue_reply(recipient: MailRecipient, reply: Comment) -> None:
    """Hold the reply for the digest window; the first one held starts the window."""
    if not recipient.wants(MailKind.REPLY) or reply.author_email == recipient.email:
        return
    waiting = recipient.notifications.filter(kind=MailKind.REPLY, status=Note.QUEUED).first()
    window = timedelta(minutes=settings.MAIL_REPLY_DIGEST_MINUTES)
    due_at = waiting.due_at if waiting else timezone.now() + window
    note = _once(recipient, MailKind.REPLY, reply, due_at=due_at)
    if note is not None and waiting is None:
        seconds = window.total_seconds()
        transaction.on_commit(lambda: _publish(SEND_REPLY_DIGEST, recipient.pk, countdown=seconds))


def queue_after_commit(task: str, *args: object) -> None:
    transaction.on_commit(lambda: _publish(task, *args))


def _publish(task: str, *args: object, countdown: float | None = None) -> None:
    try:
        current_app.send_task(task, args=args, countdown=countdown)
    except Exception:  # kombu raises several unrelated types for an unreachable broker
        logger.warning("Broker unreachable; mail task %s%r not queued", task, args, exc_info=True)


# --- sending ----------------------------------------------------------------------------


def mail_notification_send(
    *, notification_id: int, last_attempt: bool = True
) -> MailNotification | None:
    """Send one queued notification and record what happened.

    Sent at most once: the row is locked while sending; a task delivered again finds it
    sent (or skipped, or failed) and stops. A mail server that fails is recorded and the
    error raised for the task to retry; on the last attempt the mail is marked failed.
    """
    with transaction.atomic():
        note = (
            MailNotification.objects.select_for_update(of=("self",))
            .select_related("recipient", "comment__article", "event", "notice__comment__article")
            .filter(pk=notification_id)
            .first()
        )
        if note is None or note.status != Note.QUEUED:
            return note
        if not _may_send(note.recipient, note.kind):
            return _record(note.pk, Note.SKIPPED, error="Unconfirmed, or turned off by the reader.")
        sent, failure = _deliver([note], _build(note), last_attempt=last_attempt)
    if failure is not None:
        raise failure
    return sent[0]


def mail_reply_digest_send(
    *, recipient_id: int, last_attempt: bool = True
) -> list[MailNotification]:
    """Send the replies held for this reader whose window has passed, as one mail."""
    with transaction.atomic():
        notes = list(
            MailNotification.objects.select_for_update(of=("self",))
            .select_related("recipient", "comment__article", "comment__parent")
            .filter(
                recipient_id=recipient_id,
                kind=MailKind.REPLY,
                status=Note.QUEUED,
                due_at__lte=timezone.now() + timedelta(seconds=5),
            )
            .order_by("comment__created_at", "pk")
        )
        if not notes:
            return []
        recipient = notes[0].recipient
        if not _may_send(recipient, MailKind.REPLY):
            return [_record(n.pk, Note.SKIPPED, error="Turned off by the reader.") for n in notes]
        # A reply withdrawn since it was published is left out of the mail.
        live = [n for n in notes if n.comment and n.comment.status == Comment.Status.APPROVED]
        gone = [
            _record(n.pk, Note.SKIPPED, error="The reply is no longer published.")
            for n in notes
            if n not in live
        ]
        if not live:
            return gone
        message = mail_message(
            template="replies",
            kind=MailKind.REPLY,
            recipient=recipient,
            context={"replies": [n.comment for n in live], "digest": len(live) > 1},
            language=_language(live[0].comment),
        )
        sent, failure = _deliver(live, message, last_attempt=last_attempt)
    if failure is not None:
        raise failure
    return sent + gone


def mail_sweep_overdue(*, grace_seconds: float = 120) -> int:
    """Send what is still queued well after it was due: a task that never left (the
    broker was down) or was lost. Sending checks each row under its lock, so a task
    arriving late finds the mail sent and stops. Returns how many rows it looked at."""
    overdue = MailNotification.objects.filter(
        status=Note.QUEUED, due_at__lt=timezone.now() - timedelta(seconds=grace_seconds)
    )
    looked = 0
    for note_id in overdue.exclude(kind=MailKind.REPLY).values_list("pk", flat=True)[:500]:
        looked += 1
        try:
            mail_notification_send(notification_id=note_id, last_attempt=False)
        except MAIL_ERRORS:
            logger.warning("Mail %s still failing; left for the next sweep", note_id)
    replies = overdue.filter(kind=MailKind.REPLY).values_list("recipient", flat=True)
    for recipient_id in set(replies[:500]):
        looked += 1
        try:
            mail_reply_digest_send(recipient_id=recipient_id, last_attempt=False)
        except MAIL_ERRORS:
            logger.warning("Replies to %s still failing; left for the next sweep", recipient_id)
    return looked


def _may_send(recipient: MailRecipient, kind: str) -> bool:
    if kind == MailKind.CONFIRM:
        return not recipient.is_confirmed
    if kind == MailKind.NOTICE_RECEIVED:
        # Gated when queued (notices.notice_submit): to a confirmed address, or as the
        # one mail that asks an unconfirmed address to confirm.
        return True
    kind = MAIL_KIND_MUTED_AS.get(kind, kind)
    if kind in MUTABLE_MAIL_KINDS:
        return recipient.wants(kind)
    # An appeal's outcome or a notice's acknowledgement answers what the reader did.
    return recipient.is_confirmed


def _language(comment: Comment | None) -> str:
    article = comment.article if comment is not None else None
    return str(getattr(article, "language", "") or "")


def _build(note: MailNotification) -> Any:
    recipient, comment = note.recipient, note.comment
    context: dict[str, Any] = {"comment": comment, "article": comment.article if comment else None}
    if comment is not None:
        context["comment_url"] = absolute(
            f"{comment.article.get_absolute_url()}#comment-{comment.pk}"
        )
    if note.kind in (MailKind.CONFIRM, MailKind.NOTICE_RECEIVED) and not recipient.is_confirmed:
        context["confirm_url"] = confirm_url(recipient.pk)
        context["link_days"] = settings.MAIL_CONFIRM_LINK_DAYS
    if note.notice is not None:
        context["notice"] = note.notice
        context["article"] = note.notice.comment.article
    if note.kind in (MailKind.STATEMENT, MailKind.APPEAL_OUTCOME) and note.event is not None:
        assert comment is not None
        context |= statement_context(note.event, comment)
        context["appeal"] = getattr(note.event, "appeal", None)
    return mail_message(
        template=note.kind,
        kind=MAIL_KIND_MUTED_AS.get(note.kind, note.kind),
        recipient=recipient,
        context=context,
        language=_language(comment),
    )


def statement_context(event: ModerationEvent, comment: Comment) -> dict[str, Any]:
    """What a statement of reasons says: what, on which ground, by whom, how to appeal."""
    return {
        "event": event,
        "comment": comment,
        "article": comment.article,
        "ground": decision_ground(event, comment),
        "automated": event.actor_id is None,
        # Published first and taken down later, or never published.
        "removed": event.from_status == Comment.Status.APPROVED,
        "model_version": (event.model_versions or {}).get("spam", "")[:12],
        "decision_url": decision_url(event.pk),
        "appeal_until": event.created_at + timedelta(days=settings.APPEAL_WINDOW_DAYS),
    }


def _deliver(
    notes: list[MailNotification], message: Any, *, last_attempt: bool
) -> tuple[list[MailNotification], Exception | None]:
    try:
        message.send()
    except MAIL_ERRORS as failure:
        error = (str(failure) or type(failure).__name__)[: MailNotification.ERROR_MAX_LENGTH]
        status = Note.FAILED if last_attempt else Note.QUEUED
        return [_record(note.pk, status, error=error) for note in notes], failure
    return [_record(note.pk, Note.SENT, sent_at=timezone.now()) for note in notes], None


def _record(note_id: int, status: str, **fields: Any) -> MailNotification:
    MailNotification.objects.filter(pk=note_id).update(
        status=status, attempts=F("attempts") + 1, **fields
    )
    return MailNotification.objects.get(pk=note_id)
