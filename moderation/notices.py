"""Notices of illegal content: a reader names the law or reason and explains; the
notice gets a reference number and an acknowledgement mail, and waits in its own queue
in the desk until a person removes the comment or decides no action is due.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from moderation.models import (
    COMMENT_NAME_MAX_LENGTH,
    Comment,
    IllegalContentNotice,
    MailKind,
    MailNotification,
    MailRecipient,
    RejectReason,
)
from moderation.notifications import SEND_NOTIFICATION, claim_first_mail, queue_after_commit
from moderation.permissions import OUT_OF_SCOPE, may_act_on
from moderation.services import comment_reject
from newsroom.lib.text import clean_text

Notice = IllegalContentNotice


class NoticeConflict(Exception):
    def __init__(self, notice: IllegalContentNotice) -> None:
        super().__init__(f"Notice {notice.reference} is already {notice.get_status_display()}.")
        self.notice = notice


def _validate(law: str, explanation: str, contact_name: str, contact_email: str) -> None:
    errors: dict[str, list[str]] = {}
    if not law:
        errors["law"] = [_("Name the law or the reason the comment is illegal.")]
    elif len(law) > Notice.LAW_MAX_LENGTH:
        errors["law"] = [_("At most %(limit)d characters.") % {"limit": Notice.LAW_MAX_LENGTH}]
    if not explanation:
        errors["explanation"] = [_("Explain why the comment is illegal.")]
    elif len(explanation) > Notice.EXPLANATION_MAX_LENGTH:
        errors["explanation"] = [
            _("At most %(limit)d characters.") % {"limit": Notice.EXPLANATION_MAX_LENGTH}
        ]
    if len(contact_name) > COMMENT_NAME_MAX_LENGTH:
        errors["contact_name"] = [
            _("At most %(limit)d characters.") % {"limit": COMMENT_NAME_MAX_LENGTH}
        ]
    if contact_email:
        try:
            validate_email(contact_email)
        except ValidationError:
            errors["contact_email"] = [_("Enter a valid email address, or leave it empty.")]
    if errors:
        raise ValidationError(errors)


def notice_submit(
    *,
    comment: Comment,
    law: str,
    explanation: str,
    contact_name: str = "",
    contact_email: str = "",
    ip_address: str | None = None,
) -> IllegalContentNotice:
    """Record the notice and queue its acknowledgement to the contact address, if any.

    An address not yet confirmed gets the acknowledgement as the one mail asking it to
    confirm (at most one a day), so the form cannot be used to mail strangers.
    """
    law, explanation = clean_text(law), clean_text(explanation)
    contact_name, contact_email = clean_text(contact_name), clean_text(contact_email).lower()
    _validate(law, explanation, contact_name, contact_email)
    with transaction.atomic():
        notice = Notice.objects.create(
            comment=comment,
            law=law,
            explanation=explanation,
            contact_name=contact_name,
            contact_email=contact_email,
            ip_address=ip_address,
        )
        if contact_email:
            recipient, _created = MailRecipient.objects.get_or_create(email=contact_email)
            if recipient.is_confirmed or claim_first_mail(recipient):
                note = MailNotification.objects.create(
                    recipient=recipient, kind=MailKind.NOTICE_RECEIVED, notice=notice
                )
                queue_after_commit(SEND_NOTIFICATION, note.pk)
    return notice


def notice_handle(*, notice_id: int, actor: AbstractBaseUser, remove: bool) -> IllegalContentNotice:
    """Close a notice: remove the comment (a person's rejection on legal grounds, which
    sends its author a statement of reasons) or record that no action is due."""
    with transaction.atomic():
        notice = Notice.objects.select_for_update().select_related("comment").get(pk=notice_id)
        if notice.status != Notice.Status.NEW:
            raise NoticeConflict(notice)
        if not may_act_on(actor, notice.comment):
            raise PermissionDenied(OUT_OF_SCOPE)
        if remove and notice.comment.status not in (Comment.Status.REJECTED, Comment.Status.SPAM):
            comment_reject(
                comment_id=notice.comment_id,
                actor=actor,
                reason_code=RejectReason.LEGAL,
                reason_text=f"Notice {notice.reference}: {notice.law}",
            )
        notice.status = Notice.Status.ACTIONED if remove else Notice.Status.DISMISSED
        notice.handled_by = actor  # type: ignore[assignment]
        notice.handled_at = timezone.now()
        notice.save()
    return notice
