"""Writes for the author's edits and deletions, readers' recommendations and editors'
picks: each validated, in one transaction, and leaving a ModerationEvent where a
moderator would want to know.

Ownership (is this the reader who wrote it?) is the caller's to establish: the reader
pages and the API know the session and the signed-in reader, the services do not.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.models import Reader
from moderation import services as comment_services
from moderation.comment_list_cache import published_comments_changed
from moderation.engagement.rules import edit_refusal
from moderation.models import (
    COMMENT_BODY_MAX_LENGTH,
    Comment,
    CommentReaction,
    CommentRevision,
    CommentSignature,
    ModerationEvent,
    scored_tasks,
)
from newsroom.lib.text import clean_text

Status = Comment.Status
Action = ModerationEvent.Action


class EditRefused(Exception):
    """The author may no longer edit the comment; the message says why (a 403)."""


class NotRecommendable(Exception):
    """Only a published comment that still has its text can be recommended (a 404)."""


def _validate_body(body: str) -> str:
    body = clean_text(body)
    if not body:
        raise ValidationError({"body": [_("The comment is empty.")]})
    if len(body) > COMMENT_BODY_MAX_LENGTH:
        message = _("Comments are at most %(max)d characters (this one has %(count)d).") % {
            "max": COMMENT_BODY_MAX_LENGTH,
            "count": len(body),
        }
        raise ValidationError({"body": [message]})
    return body


def _reset_for_scoring(comment: Comment) -> None:
    """Forget every judgement of the old text: the new one is scored and moderated like
    a new comment, and a person's decision on the old words no longer holds."""
    comment.status = Status.PENDING
    comment.scored_at = None
    for task in scored_tasks():
        setattr(comment, f"{task}_score", None)
        setattr(comment, f"{task}_model_version", "")
    comment.explanation = {}
    comment.rule_hits = []
    comment.uncertainty = 1.0
    comment.decided_by = None
    comment.decided_at = None
    comment.spoiler_reviewed_by = None
    comment.spoiler_reviewed_at = None
    # An editor picked the words that are gone.
    comment.featured_at = None
    comment.featured_by = None


def comment_edit_by_author(*, comment_id: int, body: str, spoiler_tag: bool) -> Comment:
    """Replace the comment's text with the author's new one, keeping the old for moderators.

    Raises EditRefused after the edit window, once someone has replied, or after a
    deletion; ValidationError for an empty or too long text. The same text and tag again
    change nothing.
    """
    body = _validate_body(body)
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment_id)
        now = timezone.now()
        refusal = edit_refusal(comment, now=now, has_replies=comment.replies.exists())
        if refusal is not None:
            raise EditRefused(refusal)
        if body == comment.body and spoiler_tag == comment.author_spoiler_tag:
            return comment
        CommentRevision.objects.create(
            comment=comment,
            body=comment.body,
            written_at=comment.edited_at or comment.created_at,
            replaced_at=now,
        )
        from_status = comment.status
        _reset_for_scoring(comment)
        comment.body = body
        comment.author_spoiler_tag = spoiler_tag
        comment.is_spoiler = spoiler_tag
        comment.edited_at = now
        comment.save()
        # The near-duplicate signature was the old text's; scoring signs the new one.
        CommentSignature.objects.filter(comment=comment).delete()
        ModerationEvent.objects.create(
            comment=comment, action=Action.EDITED, from_status=from_status, to_status=comment.status
        )
        if from_status != comment.status:
            # Back to pending: the one helper retires the cached pages (when it was
            # published) and tells the outbound listeners, as for any status change.
            comment_services._status_changed(comment, from_status)
        else:
            published_comments_changed(comment.article_id)
        # Through the module: one place queues scoring, for a new comment or an edit.
        comment_services._enqueue_scoring(comment.pk)
    return comment


def comment_delete_by_author(*, comment_id: int) -> Comment:
    """Blank the comment's text at the author's request; its replies stay in place.

    Allowed at any time; deleting twice changes nothing. The earlier texts go too (the
    author asked for their words to go); the events keep who did what and when.
    """
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment_id)
        if comment.deleted_at is not None:
            return comment
        comment.body = ""
        comment.deleted_at = timezone.now()
        comment.featured_at = None
        comment.featured_by = None
        comment.save()
        comment.revisions.all().delete()
        ModerationEvent.objects.create(
            comment=comment,
            action=Action.DELETED,
            from_status=comment.status,
            to_status=comment.status,
        )
        # Readers see "deleted by its author" in its place, and it leaves the picks.
        published_comments_changed(comment.article_id)
    return comment


def _recommendable(comment_id: int) -> Comment:
    comment = (
        Comment.objects.filter(pk=comment_id, status=Status.APPROVED, deleted_at__isnull=True)
        .only("id", "recommend_count")
        .first()
    )
    if comment is None:
        raise NotRecommendable(comment_id)
    return comment


def _identity(session_key: str, reader: Reader | None) -> dict[str, object]:
    """Whose recommendation: the signed-in reader's if there is one, else the session's."""
    if reader is not None:
        return {"reader": reader}
    if not session_key:
        raise ValueError("A recommendation needs the reader's session or account.")
    return {"reader": None, "session_key": session_key}


def comment_recommend(
    *, comment_id: int, session_key: str = "", reader: Reader | None = None
) -> tuple[int, bool]:
    """Record one reader's recommendation; returns the count and whether this one counted.

    The unique constraints, not a read before the write, make a double click (or two
    tabs at once) count once. The count lives on the comment for sorting; pages show it
    from their cache, so it may lag by the cache time (a recommendation does not retire
    the cached pages: it would empty the cache on every click).
    """
    _identity(session_key, reader)  # refuses a recommendation from no one
    comment = _recommendable(comment_id)
    with transaction.atomic():
        try:
            with transaction.atomic():
                CommentReaction.objects.create(
                    comment=comment, session_key=session_key, reader=reader
                )
        except IntegrityError:
            counted = False
        else:
            counted = True
            Comment.objects.filter(pk=comment.pk).update(recommend_count=F("recommend_count") + 1)
        count = Comment.objects.values_list("recommend_count", flat=True).get(pk=comment.pk)
    return count, counted


def comment_unrecommend(
    *, comment_id: int, session_key: str = "", reader: Reader | None = None
) -> tuple[int, bool]:
    """Withdraw the reader's recommendation; returns the count and whether one was removed."""
    who = _identity(session_key, reader)
    with transaction.atomic():
        removed, _by_model = CommentReaction.objects.filter(comment_id=comment_id, **who).delete()
        if removed:
            Comment.objects.filter(pk=comment_id, recommend_count__gt=0).update(
                recommend_count=F("recommend_count") - 1
            )
        count = Comment.objects.values_list("recommend_count", flat=True).get(pk=comment_id)
    return count, bool(removed)


def comment_feature(*, comment_id: int, actor: AbstractBaseUser, featured: bool) -> Comment:
    """Make a published comment an editors' pick, or stop it being one.

    Only a published comment with its text can be a pick; asking for the state it is
    already in changes nothing and writes no event.
    """
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment_id)
        if featured and (comment.status != Status.APPROVED or comment.deleted_at is not None):
            raise ValidationError(
                {"comment": ["Only a published comment can be an editors' pick."]}
            )
        if featured == (comment.featured_at is not None):
            return comment
        comment.featured_at = timezone.now() if featured else None
        comment.featured_by = actor if featured else None  # type: ignore[assignment]
        comment.save()
        ModerationEvent.objects.create(  # type: ignore[misc]  # actor: AUTH_USER_MODEL
            comment=comment,
            actor=actor,
            action=Action.FEATURED if featured else Action.UNFEATURED,
            from_status=comment.status,
            to_status=comment.status,
        )
        # The picks strip and the mark in place are part of the cached pages.
        published_comments_changed(comment.article_id)
    return comment
