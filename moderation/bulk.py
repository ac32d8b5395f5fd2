"""One decision on many comments at once: all of them, or none."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from moderation.models import Comment
from moderation.services import (
    comment_approve,
    comment_mark_spam,
    comment_reject,
    comment_set_spoiler,
)

# One decision takes at most this many comments, from the API or the desk alike: each
# is locked and decided in one transaction, which must stay short.
BULK_MAX_ITEMS = 500

APPLIED = "applied"
CONFLICT = "conflict"
NOT_FOUND = "not_found"
NOT_APPLIED = "not_applied"


@dataclass(frozen=True)
class BulkItem:
    comment_id: int
    expected_status: str


@dataclass(frozen=True)
class BulkOutcome:
    comment_id: int
    outcome: str
    status: str | None
    is_spoiler: bool | None


class BulkRefused(Exception):
    """At least one item could not be decided; nothing was changed."""

    def __init__(self, outcomes: list[BulkOutcome]) -> None:
        super().__init__("The batch was refused; no comment was changed.")
        self.outcomes = outcomes

    @property
    def has_missing(self) -> bool:
        return any(o.outcome == NOT_FOUND for o in self.outcomes)


def comment_bulk_decide(
    *,
    items: Sequence[BulkItem],
    actor: AbstractBaseUser,
    decide: Callable[[int, str], Comment],
) -> list[BulkOutcome]:
    """Lock every comment, check each is still as its moderator saw it, then decide them all.

    `decide(comment_id, expected_status)` is one of the single-comment services, so each
    comment gets the same checks and audit event as a decision made one at a time.
    Raises BulkRefused, having changed nothing, if any comment is missing or has moved on,
    and ValidationError for more than BULK_MAX_ITEMS comments or one named twice.
    """
    ids = [item.comment_id for item in items]
    if len(ids) > BULK_MAX_ITEMS:
        raise ValidationError(
            {"items": [f"At most {BULK_MAX_ITEMS} comments at once (this batch has {len(ids)})."]}
        )
    if len(set(ids)) != len(ids):
        raise ValidationError({"items": ["Each comment may appear once."]})
    with transaction.atomic():
        # Locked in id order so that two overlapping batches cannot deadlock.
        current = {
            c.pk: c
            for c in Comment.objects.select_for_update()
            .filter(pk__in=ids)
            .order_by("pk")
            .only("id", "status", "is_spoiler")
        }
        refused = False
        checked: list[BulkOutcome] = []
        for item in items:
            comment = current.get(item.comment_id)
            if comment is None:
                refused = True
                checked.append(BulkOutcome(item.comment_id, NOT_FOUND, None, None))
            elif comment.status != item.expected_status:
                refused = True
                checked.append(
                    BulkOutcome(item.comment_id, CONFLICT, comment.status, comment.is_spoiler)
                )
            else:
                checked.append(
                    BulkOutcome(item.comment_id, NOT_APPLIED, comment.status, comment.is_spoiler)
                )
        if refused:
            raise BulkRefused(checked)
        outcomes = []
        for item in items:
            comment = decide(item.comment_id, item.expected_status)
            outcomes.append(
                BulkOutcome(item.comment_id, APPLIED, comment.status, comment.is_spoiler)
            )
    return outcomes


def bulk_decider(
    *,
    action: str,
    actor: AbstractBaseUser,
    reason_code: str = "",
    reason_text: str = "",
    is_spoiler: bool = False,
) -> Callable[[int, str], Comment]:
    """The single-comment service for an action, bound to its actor and reason."""

    def approve(comment_id: int, expected: str) -> Comment:
        return comment_approve(comment_id=comment_id, actor=actor, expected_status=expected)

    def reject(comment_id: int, expected: str) -> Comment:
        return comment_reject(
            comment_id=comment_id,
            actor=actor,
            reason_code=reason_code,
            reason_text=reason_text,
            expected_status=expected,
        )

    def spam(comment_id: int, expected: str) -> Comment:
        return comment_mark_spam(comment_id=comment_id, actor=actor, expected_status=expected)

    def spoiler(comment_id: int, expected: str) -> Comment:
        return comment_set_spoiler(
            comment_id=comment_id, actor=actor, is_spoiler=is_spoiler, expected_status=expected
        )

    deciders = {"approve": approve, "reject": reject, "spam": spam, "spoiler": spoiler}
    return deciders[action]
