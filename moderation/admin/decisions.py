"""One entry point for the desk's decisions: keyboard, buttons and bulk actions alike.

Each decision names the status the moderator saw; the service refuses it with
CommentConflict when someone else decided the comment in the meantime.
"""

from typing import Any

from django import forms
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError

from moderation import services
from moderation.models import Comment

REJECT_REASONS = [
    ("abuse", "Abuse"),
    ("off_topic", "Off topic"),
    ("personal_data", "Personal data"),
    ("legal", "Legal"),
    ("other", "Other"),
]
REJECT_REASON_CODES = [code for code, _ in REJECT_REASONS]

DECISIONS = [
    ("approve", "Approve"),
    ("reject", "Reject"),
    ("spam", "Spam"),
    ("spoiler", "Set or clear spoiler"),
]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=DECISIONS)
    expected_status = forms.ChoiceField(choices=Comment.Status.choices, required=False)
    reason_code = forms.ChoiceField(choices=REJECT_REASONS, required=False)
    reason_text = forms.CharField(max_length=2000, required=False)
    # For "spoiler": the flag to set; "true" sets it, "false" clears it.
    is_spoiler = forms.NullBooleanField(required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "reject" and not data.get("reason_code"):
            self.add_error("reason_code", "Choose a reason to reject the comment.")
        if data.get("decision") == "spoiler" and data.get("is_spoiler") is None:
            self.add_error("is_spoiler", "Say whether the comment is a spoiler.")
        return data


class RejectReasonForm(forms.Form):
    reason_code = forms.ChoiceField(choices=REJECT_REASONS, widget=forms.RadioSelect)
    reason_text = forms.CharField(
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        label="Note (optional)",
    )


def comment_decide(
    *,
    comment_id: int,
    actor: AbstractBaseUser,
    decision: str,
    expected_status: str | None,
    reason_code: str = "",
    reason_text: str = "",
    is_spoiler: bool | None = None,
) -> Comment:
    """Apply one decision through the moderation services (which write the events)."""
    if decision == "approve":
        return services.comment_approve(
            comment_id=comment_id, actor=actor, expected_status=expected_status
        )
    if decision == "reject":
        if reason_code not in REJECT_REASON_CODES:
            raise ValidationError({"reason_code": ["Choose a reason to reject the comment."]})
        return services.comment_reject(
            comment_id=comment_id,
            actor=actor,
            reason_code=reason_code,
            reason_text=reason_text,
            expected_status=expected_status,
        )
    if decision == "spam":
        return services.comment_mark_spam(
            comment_id=comment_id, actor=actor, expected_status=expected_status
        )
    if decision == "spoiler":
        if is_spoiler is None:
            raise ValidationError({"is_spoiler": ["Say whether the comment is a spoiler."]})
        return services.comment_set_spoiler(
            comment_id=comment_id,
            actor=actor,
            is_spoiler=is_spoiler,
            expected_status=expected_status,
        )
    raise ValidationError({"decision": [f"Unknown decision {decision!r}."]})


def comment_state(comment: Comment) -> dict[str, Any]:
    """What the desk shows of a comment after a decision or a conflict."""
    return {
        "id": comment.pk,
        "status": comment.status,
        "status_display": comment.get_status_display(),
        "is_spoiler": comment.is_spoiler,
        "decided_by": comment.decided_by.get_username() if comment.decided_by else None,
        "decided_at": comment.decided_at.isoformat() if comment.decided_at else None,
        "spoiler_reviewed_by": (
            comment.spoiler_reviewed_by.get_username() if comment.spoiler_reviewed_by else None
        ),
    }
