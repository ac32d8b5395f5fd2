"""One entry point for the desk's decisions: keyboard, buttons and bulk actions alike.

Each decision names the status the moderator saw; the service refuses it with
CommentConflict when someone else decided the comment in the meantime.
"""

from typing import Any

from django import forms
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError

from moderation.bulk import bulk_decider
from moderation.models import Comment, RejectReason

DECISIONS = [
    ("approve", "Approve"),
    ("reject", "Reject"),
    ("spam", "Spam"),
    ("spoiler", "Set or clear spoiler"),
]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=DECISIONS)
    # Required: without the status the moderator saw, a decision would overwrite blindly.
    expected_status = forms.ChoiceField(
        choices=Comment.Status.choices,
        error_messages={
            "required": "Send the status you saw, so no one's decision is overwritten."
        },
    )
    reason_code = forms.ChoiceField(choices=RejectReason.choices, required=False)
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
    reason_code = forms.ChoiceField(choices=RejectReason.choices, widget=forms.RadioSelect)
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
    expected_status: str,
    reason_code: str = "",
    reason_text: str = "",
    is_spoiler: bool | None = None,
) -> Comment:
    """Apply one decision through the moderation services (which write the events)."""
    if decision not in dict(DECISIONS):
        raise ValidationError({"decision": [f"Unknown decision {decision!r}."]})
    if decision == "spoiler" and is_spoiler is None:
        raise ValidationError({"is_spoiler": ["Say whether the comment is a spoiler."]})
    decide = bulk_decider(
        action=decision,
        actor=actor,
        reason_code=reason_code,
        reason_text=reason_text,
        is_spoiler=bool(is_spoiler),
    )
    return decide(comment_id, expected_status)


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
