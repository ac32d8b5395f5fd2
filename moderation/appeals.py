"""Appeals against decisions on one's own comment, and their outcome.

The author reaches the decision through a signed link (the statement of reasons), so
the link is the proof the comment is theirs. One appeal per decision, within
APPEAL_WINDOW_DAYS; it is handled by someone other than the person who decided, and a
reversal publishes the comment as that person's decision (a training label like any).
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from moderation.grounds import is_decision_against
from moderation.models import (
    APPEAL_TEXT_MAX_LENGTH,
    Appeal,
    MailKind,
    MailNotification,
    MailRecipient,
    ModerationEvent,
)
from moderation.notifications import SEND_NOTIFICATION, latest_decision_against, queue_after_commit
from moderation.permissions import OUT_OF_SCOPE, may_act_on
from moderation.services import comment_approve
from newsroom.lib.text import clean_text

Outcome = Appeal.Outcome
ORIGINAL_DECIDER = (
    "The person who took the decision cannot handle its appeal: another moderator must."
)


class AppealRefused(Exception):
    """The reader may not appeal this decision; the message says why, in their words."""


class AppealConflict(Exception):
    """Someone else decided the appeal first."""

    def __init__(self, appeal: Appeal) -> None:
        super().__init__(f"Appeal {appeal.reference} is already {appeal.outcome}.")
        self.appeal = appeal


def appeal_deadline(event: ModerationEvent) -> datetime:
    return event.created_at + timedelta(days=settings.APPEAL_WINDOW_DAYS)


def appeal_refusal(event: ModerationEvent) -> str:
    """Why this decision cannot be appealed now; empty when it can."""
    if not is_decision_against(event) or latest_decision_against(event.comment) != event:
        return str(_("This decision is no longer in force, so there is nothing to appeal."))
    if Appeal.objects.filter(event=event).exists():
        return str(
            _("You have already appealed this decision. Each decision can be appealed once.")
        )
    if timezone.now() > appeal_deadline(event):
        return str(_("The time to appeal this decision has passed."))
    return ""


def appeal_submit(*, event_id: int, text: str) -> Appeal:
    """The author's appeal against the decision `event_id`, with their reasons."""
    text = clean_text(text)
    if not text:
        raise ValidationError({"text": [_("Tell us why you think the decision is wrong.")]})
    if len(text) > APPEAL_TEXT_MAX_LENGTH:
        raise ValidationError(
            {"text": [_("At most %(limit)d characters.") % {"limit": APPEAL_TEXT_MAX_LENGTH}]}
        )
    with transaction.atomic():
        event = ModerationEvent.objects.select_related("comment").get(pk=event_id)
        refusal = appeal_refusal(event)
        if refusal:
            raise AppealRefused(refusal)
        try:
            with transaction.atomic():
                return Appeal.objects.create(comment=event.comment, event=event, text=text)
        except IntegrityError:
            # Two tabs sent it at once: the other one was first.
            raise AppealRefused(appeal_refusal(event)) from None


def appeal_decide(
    *, appeal_id: int, actor: AbstractBaseUser, outcome: str, note: str = ""
) -> Appeal:
    """Uphold or reverse the decision appealed against, and tell the author.

    Refused (PermissionDenied) to the person who took the decision. A reversal publishes
    the comment through comment_approve, so it is a person's decision like any other;
    the comment must still be in the state the decision left it (else CommentConflict).
    """
    if outcome not in (Outcome.UPHELD, Outcome.REVERSED):
        raise ValidationError({"outcome": ["Choose upheld or reversed."]})
    with transaction.atomic():
        appeal = (
            Appeal.objects.select_for_update().select_related("event", "comment").get(pk=appeal_id)
        )
        if appeal.outcome != Outcome.PENDING:
            raise AppealConflict(appeal)
        if appeal.event.actor_id is not None and appeal.event.actor_id == actor.pk:
            raise PermissionDenied(ORIGINAL_DECIDER)
        if not may_act_on(actor, appeal.comment):
            raise PermissionDenied(OUT_OF_SCOPE)
        if outcome == Outcome.REVERSED:
            comment_approve(
                comment_id=appeal.comment_id,
                actor=actor,
                expected_status=appeal.event.to_status,
                reason_code="appeal",
                reason_text=f"Appeal {appeal.reference} reversed the decision. {clean_text(note)}",
            )
        appeal.outcome = outcome
        appeal.decided_by = actor  # type: ignore[assignment]
        appeal.decided_at = timezone.now()
        appeal.note = clean_text(note)
        appeal.save()
        _tell_author(appeal)
    return appeal


def _tell_author(appeal: Appeal) -> None:
    recipient = MailRecipient.objects.filter(email=appeal.comment.author_email).first()
    if not appeal.comment.author_email or recipient is None:
        return
    note = MailNotification.objects.create(
        recipient=recipient,
        kind=MailKind.APPEAL_OUTCOME,
        comment=appeal.comment,
        event=appeal.event,
    )
    queue_after_commit(SEND_NOTIFICATION, note.pk)
