"""Every write to comments goes through here: validated, in one transaction, audited."""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import F, Field
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.models import Article
from moderation.models import (
    COMMENT_BODY_MAX_LENGTH,
    COMMENT_NAME_MAX_LENGTH,
    Comment,
    CommentReport,
    ModerationEvent,
    RejectReason,
)
from moderation.policy import ModerationPolicy, RuleHit
from moderation.queueing import enqueue_classification
from moderation.section_policy import comment_policies, comment_policy
from moderation.selectors import comment_reply_target
from moderation.signals import announce_transitions, comment_reported, send_after_commit
from newsroom.lib.text import clean_text

Status = Comment.Status
Action = ModerationEvent.Action


# One answer for every parent a reply cannot have (missing, another article's, not
# published), so the form tells nobody which comments exist or are hidden.
REPLY_REFUSED = gettext_lazy("You can only reply to a published comment on this article.")


class CommentConflict(Exception):
    """Someone else changed the comment first; carries its current state."""

    def __init__(self, comment: Comment) -> None:
        super().__init__(f"Comment {comment.pk} is now {comment.status}.")
        self.comment = comment


COMMENTS_CLOSED = gettext_lazy("Comments are closed on this article.")


def _enqueue_scoring(comment_id: int) -> None:
    # The broker may be down; a comment whose task never leaves is found by the
    # sweep, so a publish error is logged only.
    transaction.on_commit(lambda: enqueue_classification(comment_id))


def _validate_submission(
    *,
    article: Article,
    author_name: str,
    author_email: str,
    body: str,
    parent_id: int | None,
    parent: Comment | None,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not article.accepts_comments:
        errors["article"] = [str(COMMENTS_CLOSED)]
    if not author_name:
        errors["author_name"] = [_("Please give a name to sign your comment with.")]
    elif len(author_name) > COMMENT_NAME_MAX_LENGTH:
        errors["author_name"] = [
            _("Names are at most %(max)d characters.") % {"max": COMMENT_NAME_MAX_LENGTH}
        ]
    if not body:
        errors["body"] = [_("The comment is empty.")]
    elif len(body) > COMMENT_BODY_MAX_LENGTH:
        errors["body"] = [
            _("Comments are at most %(max)d characters (this one has %(count)d).")
            % {"max": COMMENT_BODY_MAX_LENGTH, "count": len(body)}
        ]
    if author_email:
        try:
            validate_email(author_email)
        except ValidationError:
            errors["author_email"] = [_("Enter a valid email address, or leave it empty.")]
    if parent_id is not None and parent is None:
        errors["parent"] = [str(REPLY_REFUSED)]
    return errors


def comment_submit(
    *,
    article: Article,
    author_name: str,
    body: str,
    author_email: str = "",
    parent_id: int | None = None,
    spoiler_tag: bool = False,
    ip_address: str | None = None,
    user_agent: str = "",
    referrer: str = "",
) -> Comment:
    """Save a reader's comment as pending and queue it for scoring once committed.

    A reply names its parent by id: only a published comment of the same article will do.
    """
    parent = (
        comment_reply_target(article=article, comment_id=parent_id)
        if parent_id is not None
        else None
    )
    author_name = clean_text(author_name)
    body = clean_text(body)
    author_email = clean_text(author_email).lower()
    errors = _validate_submission(
        article=article,
        author_name=author_name,
        author_email=author_email,
        body=body,
        parent_id=parent_id,
        parent=parent,
    )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        comment = Comment.objects.create(
            article=article,
            parent=parent,
            author_name=author_name,
            author_email=author_email,
            body=body,
            author_spoiler_tag=spoiler_tag,
            is_spoiler=spoiler_tag,
            ip_address=ip_address,
            user_agent=user_agent[:500],
            referrer=referrer[:500],
        )
        ModerationEvent.objects.create(
            comment=comment, action=Action.SUBMITTED, to_status=Status.PENDING
        )
        _enqueue_scoring(comment.pk)
    return comment


@dataclass(frozen=True)
class CommentScores:
    """What the classifiers said about one comment."""

    comment_id: int
    spam_score: float
    spoiler_score: float
    model_versions: dict[str, str]
    explanation: dict[str, Any]
    # What the rules beside the models said (moderation.rules), weighed by the policy.
    hits: tuple[RuleHit, ...] = ()


# Written by scoring; a person's decision fields are never among them.
SCORED_FIELDS = [
    "spam_score",
    "spoiler_score",
    "spam_model_version",
    "spoiler_model_version",
    "explanation",
    "rule_hits",
    "scored_at",
    "uncertainty",
    "status",
    "is_spoiler",
    "updated_at",
]


def _score_into(
    comment: Comment, scores: CommentScores, policy: ModerationPolicy
) -> ModerationEvent:
    """Store the scores on the (locked, unscored) comment and apply the policy.

    The single and the batch paths both come here, so they cannot disagree. A person's
    decision stands: the scores are kept for the record, the status is not touched.
    Returns the unsaved SCORED event.
    """
    verdict = policy.verdict(
        spam_score=scores.spam_score,
        spoiler_score=scores.spoiler_score,
        author_spoiler_tag=comment.author_spoiler_tag,
        premoderated=comment.article.comment_mode == Article.CommentMode.PREMODERATED,
        hits=scores.hits,
    )
    from_status = comment.status
    now = timezone.now()
    comment.spam_score = scores.spam_score
    comment.spoiler_score = scores.spoiler_score
    comment.spam_model_version = scores.model_versions.get("spam", "")
    comment.spoiler_model_version = scores.model_versions.get("spoiler", "")
    comment.explanation = scores.explanation
    comment.rule_hits = [hit.as_dict() for hit in scores.hits]
    comment.scored_at = now
    comment.updated_at = now
    comment.uncertainty = policy.uncertainty(scores.spam_score)
    # A person's decision stands: the status if they decided it, the spoiler flag if
    # they reviewed it; the other one is still the policy's.
    if not comment.is_decided_by_person:
        comment.status = verdict.status
    if not comment.is_spoiler_reviewed_by_person:
        comment.is_spoiler = verdict.is_spoiler
    return ModerationEvent(
        comment=comment,
        action=Action.SCORED,
        from_status=from_status,
        to_status=comment.status,
        model_versions=scores.model_versions,
        scores={"spam": scores.spam_score, "spoiler": scores.spoiler_score},
        reason_text="; ".join(hit.reason for hit in scores.hits),
        created_at=now,
    )


def comment_apply_scores(
    *,
    comment_id: int,
    spam_score: float,
    spoiler_score: float,
    model_versions: dict[str, str],
    explanation: dict[str, Any],
    policy: ModerationPolicy | None = None,
    hits: Sequence[RuleHit] = (),
) -> Comment:
    """Store the classifier's scores and let the policy decide, once per comment.

    A rerun (redelivered task, sweep racing the worker) finds the comment scored and
    changes nothing. A person's decision stands: the scores are kept, the status is not
    touched. Without a policy, the comment's section's applies.
    """
    scores = CommentScores(
        comment_id, spam_score, spoiler_score, model_versions, explanation, tuple(hits)
    )
    with transaction.atomic():
        relax_commit()
        comment = (
            Comment.objects.select_for_update(of=("self",))
            .select_related("article")
            .get(pk=comment_id)
        )
        if comment.scored_at is not None:
            return comment
        event = _score_into(comment, scores, policy or comment_policy(comment))
        comment.save(update_fields=SCORED_FIELDS)
        event.save()
        announce_transitions([(comment.pk, event.from_status, event.to_status)])
    return comment


def comment_apply_scores_batch(
    *,
    scores: list[CommentScores],
    policy: ModerationPolicy | None = None,
    policies: Mapping[int, ModerationPolicy] | None = None,
) -> list[int]:
    """Score many comments in one transaction; returns the ids this call scored.

    Rows another process holds (a worker scoring the same comment right now) are
    skipped, not waited for, and rows already scored are left alone, so a sweep and a
    task can race without a comment being scored twice. Each comment by its section's
    policy: `policy` for all, else `policies` by comment id (what scoring used), else
    read here for the batch.
    """
    if not scores:
        return []
    by_id = {s.comment_id: s for s in scores}
    with transaction.atomic():
        relax_commit()
        comments = list(
            Comment.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("article")
            .only(*POLICY_INPUTS)
            .filter(pk__in=list(by_id), scored_at__isnull=True)
            .order_by("pk")
        )
        if policy is not None:
            policies = {comment.pk: policy for comment in comments}
        elif policies is None or any(comment.pk not in policies for comment in comments):
            policies = comment_policies(comments)
        events = [
            _score_into(comment, by_id[comment.pk], policies[comment.pk]) for comment in comments
        ]
        _write_scored_fields(comments)
        ModerationEvent.objects.bulk_create(events)
        announce_transitions((e.comment_id, e.from_status, e.to_status) for e in events)
    return [comment.pk for comment in comments]


def comment_store_explanation(*, comment_id: int, explanation: dict[str, Any]) -> bool:
    """Add the explanation to a comment scored without one (the sweep's batch path).

    Derived data, not a change of state: no event. Conditional, so it never replaces
    an explanation already there; returns whether it stored this one.
    """
    return bool(
        Comment.objects.filter(pk=comment_id, scored_at__isnull=False, explanation={}).update(
            explanation=explanation
        )
    )


def relax_commit() -> None:
    """Don't wait for the WAL flush when storing scores (PostgreSQL).

    A crash can lose only the last fraction of a second of scoring commits; those
    comments are unscored again and the sweep scores them. Decisions by people keep
    the full guarantee.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


# What the policy reads from a comment; the batch path loads nothing else.
POLICY_INPUTS = [
    "status",
    "is_spoiler",
    "author_spoiler_tag",
    "decided_at",
    "spoiler_reviewed_at",
    "article__comment_mode",
]


def _write_scored_fields(comments: list[Comment]) -> None:
    """Write the scored fields of many rows at once.

    Django's bulk_update builds a CASE expression per field and row and spends
    seconds compiling it for a few hundred rows. PostgreSQL gets one UPDATE ... FROM
    (VALUES ...); other databases one parameterised UPDATE per row, sent as a batch.
    """
    if not comments:
        return
    quote = connection.ops.quote_name
    fields = [cast("Field[Any, Any]", Comment._meta.get_field(name)) for name in SCORED_FIELDS]
    table = quote(Comment._meta.db_table)
    rows = [
        [comment.pk] + [f.get_db_prep_save(getattr(comment, f.attname), connection) for f in fields]
        for comment in comments
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            casts = ["bigint"] + [str(f.db_type(connection)) for f in fields]
            row_sql = "(" + ", ".join(f"%s::{cast}" for cast in casts) + ")"
            columns = ", ".join(["id"] + [quote(f.column) for f in fields])
            assignments = ", ".join(f"{quote(f.column)} = v.{quote(f.column)}" for f in fields)
            cursor.execute(
                f"UPDATE {table} AS c SET {assignments} "  # noqa: S608 - names from the model
                f"FROM (VALUES {', '.join([row_sql] * len(rows))}) AS v({columns}) "
                "WHERE c.id = v.id AND c.scored_at IS NULL",
                [value for row in rows for value in row],
            )
        else:
            assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
            cursor.executemany(
                f"UPDATE {table} SET {assignments} "  # noqa: S608 - names from the model
                "WHERE id = %s AND scored_at IS NULL",
                [row[1:] + row[:1] for row in rows],
            )


def _decide(
    *,
    comment_id: int,
    actor: AbstractBaseUser,
    expected_status: str | None,
    expected_etag: str | None = None,
    action: str,
    change: Callable[[Comment], None],
    reason_code: str = "",
    reason_text: str = "",
) -> Comment:
    """Apply a person's decision if the comment is still in the state they saw.

    The row is locked and compared with what the person saw (its status, its ETag, or
    both) inside the transaction, so of two moderators deciding at once the first wins
    and the second gets CommentConflict. `change` stamps who decided what.
    """
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment_id)
        if expected_status is not None and comment.status != expected_status:
            raise CommentConflict(comment)
        if expected_etag is not None and comment.etag != expected_etag:
            raise CommentConflict(comment)
        from_status = comment.status
        change(comment)
        comment.save()
        ModerationEvent.objects.create(  # type: ignore[misc]  # actor: AUTH_USER_MODEL
            comment=comment,
            actor=actor,
            action=action,
            from_status=from_status,
            to_status=comment.status,
            reason_code=reason_code,
            reason_text=clean_text(reason_text),
            model_versions={
                "spam": comment.spam_model_version,
                "spoiler": comment.spoiler_model_version,
            },
            scores={"spam": comment.spam_score, "spoiler": comment.spoiler_score},
        )
        announce_transitions([(comment.pk, from_status, comment.status)])
    return comment


def _set_status(status: str, actor: AbstractBaseUser) -> Callable[[Comment], None]:
    """A status decision: scoring never changes the status again."""

    def change(comment: Comment) -> None:
        comment.status = status
        comment.decided_by = actor  # type: ignore[assignment]
        comment.decided_at = timezone.now()

    return change


def comment_approve(
    *,
    comment_id: int,
    actor: AbstractBaseUser,
    expected_status: str | None = None,
    expected_etag: str | None = None,
) -> Comment:
    return _decide(
        comment_id=comment_id,
        actor=actor,
        expected_status=expected_status,
        expected_etag=expected_etag,
        action=Action.APPROVED,
        change=_set_status(Status.APPROVED, actor),
    )


def comment_reject(
    *,
    comment_id: int,
    actor: AbstractBaseUser,
    reason_code: str,
    reason_text: str = "",
    expected_status: str | None = None,
    expected_etag: str | None = None,
) -> Comment:
    if reason_code not in RejectReason.values:
        raise ValidationError(
            {"reason_code": [f"Choose one of: {', '.join(RejectReason.values)}."]}
        )
    return _decide(
        comment_id=comment_id,
        actor=actor,
        expected_status=expected_status,
        expected_etag=expected_etag,
        action=Action.REJECTED,
        change=_set_status(Status.REJECTED, actor),
        reason_code=reason_code,
        reason_text=reason_text,
    )


def comment_mark_spam(
    *,
    comment_id: int,
    actor: AbstractBaseUser,
    expected_status: str | None = None,
    expected_etag: str | None = None,
) -> Comment:
    return _decide(
        comment_id=comment_id,
        actor=actor,
        expected_status=expected_status,
        expected_etag=expected_etag,
        action=Action.MARKED_SPAM,
        change=_set_status(Status.SPAM, actor),
    )


def comment_set_spoiler(
    *,
    comment_id: int,
    actor: AbstractBaseUser,
    is_spoiler: bool,
    expected_status: str | None = None,
    expected_etag: str | None = None,
) -> Comment:
    """A spoiler review, not a status decision: scoring may still set the status."""

    def change(comment: Comment) -> None:
        comment.is_spoiler = is_spoiler
        comment.spoiler_reviewed_by = actor  # type: ignore[assignment]
        comment.spoiler_reviewed_at = timezone.now()

    return _decide(
        comment_id=comment_id,
        actor=actor,
        expected_status=expected_status,
        expected_etag=expected_etag,
        action=Action.SPOILER_SET if is_spoiler else Action.SPOILER_CLEARED,
        change=change,
    )


def comment_report(
    *, comment: Comment, reason: str, text: str = "", ip_address: str | None = None
) -> CommentReport:
    """Record a reader's report; the count feeds the "reported" queue."""
    if reason not in CommentReport.Reason.values:
        raise ValidationError(
            {"reason": [f"Choose one of: {', '.join(CommentReport.Reason.values)}."]}
        )
    text = clean_text(text)
    if len(text) > 1000:
        raise ValidationError({"text": [_("Reports are at most 1000 characters.")]})
    with transaction.atomic():
        report = CommentReport.objects.create(
            comment=comment, reason=reason, text=text, ip_address=ip_address
        )
        Comment.objects.filter(pk=comment.pk).update(reports_count=F("reports_count") + 1)
        ModerationEvent.objects.create(
            comment=comment,
            action=Action.REPORTED,
            from_status=comment.status,
            to_status=comment.status,
            reason_code=reason,
            reason_text=text,
        )
        send_after_commit(comment_reported, report_ids=[report.pk])
    return report
