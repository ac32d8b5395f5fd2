"""Every write to comments goes through here: validated, in one transaction, audited."""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import F, Field, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.models import Article, Reader
from moderation.comment_insert import comment_insert_with_event
from moderation.comment_list_cache import published_comments_changed
from moderation.models import (
    COMMENT_BODY_MAX_LENGTH,
    COMMENT_NAME_MAX_LENGTH,
    Comment,
    CommentReport,
    ModerationEvent,
    RejectReason,
)
from moderation.notifications import mail_opt_in
from moderation.policy import UNDO_WINDOW, ModerationPolicy, RuleHit, reports_hold_at
from moderation.queueing import enqueue_classification
from moderation.section_policy import comment_policies, comment_policy
from moderation.selectors import comment_reply_target
from moderation.signals import announce_transitions, comment_reported, send_after_commit
from newsroom.lib.pg_batch import NotJson, insert_rows, recordset
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
NOTIFY_NEEDS_EMAIL = gettext_lazy("Give your email address to be told by email.")


def _status_changed(comment: Comment, from_status: str) -> None:
    """After a comment's status changed: retire its article's cached pages if the
    published set may have changed, and announce it to the outbound listeners. Both
    happen once the transaction commits."""
    if Status.APPROVED in (from_status, comment.status):
        published_comments_changed(comment.article_id)
    announce_transitions([(comment.pk, from_status, comment.status)])


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
    reader: Reader | None = None,
    notify: bool = False,
) -> Comment:
    """Save a reader's comment as pending and queue it for scoring once committed.

    A reply names its parent by id: only a published comment of the same article will do.
    `notify`: the reader ticked "email me" (moderation.notifications), which needs an email.
    `reader` is who wrote it, when the site signed them in (or otherwise knows them).
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
    if notify and not author_email and "author_email" not in errors:
        errors["author_email"] = [str(NOTIFY_NEEDS_EMAIL)]
    if errors:
        raise ValidationError(errors)
    comment = Comment(
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
        reader=reader,
    )
    # Inside a caller's transaction (the API view's), no savepoint: nothing here is
    # retried after an error, so two round trips would buy nothing.
    with transaction.atomic(savepoint=False):
        comment_insert_with_event(
            comment, ModerationEvent(action=Action.SUBMITTED, to_status=Status.PENDING)
        )
        if notify:
            mail_opt_in(email=author_email, comment=comment)
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
    abuse_score: float = 0.0
    # What weighed most in the abuse score ("word 'moron'"), for the reason moderators
    # read when the policy holds or rejects the comment for it.
    abuse_cue: str = ""


# Written by scoring; a person's decision fields are never among them.
SCORED_FIELDS = [
    "spam_score",
    "spoiler_score",
    "spam_model_version",
    "spoiler_model_version",
    "abuse_score",
    "abuse_model_version",
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
        abuse_score=scores.abuse_score,
    )
    # The abuse model's call, recorded beside the rules' so that the desk and the API
    # show it among the reasons ("possible abuse: word 'moron'").
    abuse_hit = policy.abuse_hit(scores.abuse_score, scores.abuse_cue)
    shown_hits = [*scores.hits, abuse_hit] if abuse_hit else list(scores.hits)
    from_status = comment.status
    now = timezone.now()
    comment.spam_score = scores.spam_score
    comment.spoiler_score = scores.spoiler_score
    comment.spam_model_version = scores.model_versions.get("spam", "")
    comment.spoiler_model_version = scores.model_versions.get("spoiler", "")
    comment.abuse_score = scores.abuse_score
    comment.abuse_model_version = scores.model_versions.get("abuse", "")
    comment.explanation = scores.explanation
    comment.rule_hits = [hit.as_dict() for hit in shown_hits]
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
        scores={
            "spam": scores.spam_score,
            "spoiler": scores.spoiler_score,
            "abuse": scores.abuse_score,
        },
        reason_text="; ".join(hit.reason for hit in shown_hits),
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
    abuse_score: float = 0.0,
    abuse_cue: str = "",
) -> Comment:
    """Store the classifier's scores and let the policy decide, once per comment.

    A rerun (redelivered task, sweep racing the worker) finds the comment scored and
    changes nothing. A person's decision stands: the scores are kept, the status is not
    touched. Without a policy, the comment's section's applies.
    """
    scores = CommentScores(
        comment_id,
        spam_score,
        spoiler_score,
        model_versions,
        explanation,
        tuple(hits),
        abuse_score=abuse_score,
        abuse_cue=abuse_cue,
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
        _status_changed(comment, event.from_status)
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
        insert_rows(events)
        announce_transitions((e.comment_id, e.from_status, e.to_status) for e in events)
        for article_id in {c.article_id for c in comments if c.status == Status.APPROVED}:
            published_comments_changed(article_id)
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


def _field(name: str) -> "Field[Any, Any]":
    return cast("Field[Any, Any]", Comment._meta.get_field(name))


def _write_scored_fields(comments: list[Comment]) -> None:
    """Write the scored fields of many rows at once.

    Django's bulk_update builds a CASE expression per field and row and spends
    seconds compiling it for a few hundred rows. PostgreSQL gets one UPDATE ... FROM
    the rows as one JSON parameter (newsroom.lib.pg_batch), or, for a value JSON
    cannot carry, FROM (VALUES ...); other databases one parameterised UPDATE per
    row, sent as a batch.
    """
    if not comments:
        return
    quote = connection.ops.quote_name
    fields = [_field(name) for name in SCORED_FIELDS]
    table = quote(Comment._meta.db_table)
    where = "WHERE c.id = v.id AND c.scored_at IS NULL"
    assignments = ", ".join(f"{quote(f.column)} = v.{quote(f.column)}" for f in fields)
    if connection.vendor == "postgresql":
        try:
            document, columns = recordset(comments, [_field("id"), *fields])
        except NotJson:
            pass
        else:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {table} AS c SET {assignments} "  # noqa: S608 - names from the model
                    f"FROM jsonb_to_recordset(%s::jsonb) AS v({columns}) {where}",
                    [document],
                )
            return
    rows = [
        [comment.pk] + [f.get_db_prep_save(getattr(comment, f.attname), connection) for f in fields]
        for comment in comments
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            casts = ["bigint"] + [str(f.db_type(connection)) for f in fields]
            row_sql = "(" + ", ".join(f"%s::{cast}" for cast in casts) + ")"
            names = ", ".join(["id"] + [quote(f.column) for f in fields])
            cursor.execute(
                f"UPDATE {table} AS c SET {assignments} "  # noqa: S608 - names from the model
                f"FROM (VALUES {', '.join([row_sql] * len(rows))}) AS v({names}) {where}",
                [value for row in rows for value in row],
            )
        else:
            one = ", ".join(f"{quote(f.column)} = %s" for f in fields)
            cursor.executemany(
                f"UPDATE {table} SET {one} "  # noqa: S608 - names from the model
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
        # A status decision answers the readers' reports: they are resolved with it.
        resolves = action in STATUS_DECISIONS and comment.reports_count > 0
        if resolves:
            comment.reports_count = 0
        comment.save()
        event = ModerationEvent.objects.create(  # type: ignore[misc]  # actor: AUTH_USER_MODEL
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
                "abuse": comment.abuse_model_version,
            },
            scores={
                "spam": comment.spam_score,
                "spoiler": comment.spoiler_score,
                "abuse": comment.abuse_score,
            },
        )
        if resolves:
            _resolve_reports(comment, event, CommentReport.Resolution.DECIDED)
        _status_changed(comment, from_status)
    return comment


# The decisions on a comment's status: each resolves its open reports, and each can be
# undone (a spoiler review is undone by reviewing the flag again).
STATUS_DECISIONS = (Action.APPROVED, Action.REJECTED, Action.MARKED_SPAM)


def _resolve_reports(comment: Comment, event: ModerationEvent, resolution: str) -> int:
    """Close the comment's open reports with the event; the count is kept on the event."""
    resolved = CommentReport.objects.filter(comment=comment, resolved_at__isnull=True).update(
        resolved_at=event.created_at, resolution=resolution, resolved_event=event
    )
    ModerationEvent.objects.filter(pk=event.pk).update(reports_resolved=resolved)
    event.reports_resolved = resolved
    return resolved


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
    reason_code: str = "",
    reason_text: str = "",
) -> Comment:
    return _decide(
        comment_id=comment_id,
        actor=actor,
        expected_status=expected_status,
        expected_etag=expected_etag,
        action=Action.APPROVED,
        change=_set_status(Status.APPROVED, actor),
        reason_code=reason_code,
        reason_text=reason_text,
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
    *,
    comment: Comment,
    reason: str,
    text: str = "",
    ip_address: str | None = None,
    reader: Reader | None = None,
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
        # Locked, so that of two readers reporting at once one sees the other's report.
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        report = CommentReport.objects.create(
            comment=comment, reason=reason, text=text, ip_address=ip_address, reader=reader
        )
        comment.reports_count += 1
        Comment.objects.filter(pk=comment.pk).update(reports_count=F("reports_count") + 1)
        ModerationEvent.objects.create(
            comment=comment,
            action=Action.REPORTED,
            from_status=comment.status,
            to_status=comment.status,
            reason_code=reason,
            reason_text=text,
        )
        if comment.status == Status.APPROVED and comment.reports_count >= reports_hold_at():
            _hold_for_reports(comment)
        send_after_commit(comment_reported, report_ids=[report.pk])
    return report


def _hold_for_reports(comment: Comment) -> None:
    """Take a published comment back to the queue: enough readers reported it.

    The reporter is told nothing more than that the report was received; the comment
    leaves the public page as any held comment does.
    """
    Comment.objects.filter(pk=comment.pk).update(status=Status.PENDING, updated_at=timezone.now())
    ModerationEvent.objects.create(
        comment=comment,
        action=Action.HELD_FOR_REPORTS,
        from_status=Status.APPROVED,
        to_status=Status.PENDING,
        reason_text=f"{comment.reports_count} open reports",
    )
    published_comments_changed(comment.article_id)
    announce_transitions([(comment.pk, Status.APPROVED, Status.PENDING)])


NO_OPEN_REPORTS = "This comment has no open reports to dismiss."
COMMENT_GONE = "This comment no longer exists: there are no reports to dismiss."


def comment_dismiss_reports(
    *, comment_id: int, actor: AbstractBaseUser, reason_text: str = ""
) -> Comment:
    """Keep the comment as it is and close its open reports ("the reports were wrong").

    A comment the reports held goes back to where it was before. Refused with the
    reason, nothing written, when the comment is gone, erased or has no open reports.
    """
    with transaction.atomic():
        comment = Comment.objects.select_for_update().filter(pk=comment_id).first()
        if comment is None or comment.events.filter(action=Action.ERASED).exists():
            raise ValidationError({"comment": [COMMENT_GONE]})
        if comment.reports_count == 0:
            raise ValidationError({"comment": [NO_OPEN_REPORTS]})
        from_status = comment.status
        held = (
            comment.events.filter(from_status__gt="", to_status__gt="")
            .exclude(from_status=F("to_status"))
            .order_by("-created_at", "-id")
            .first()
        )
        if held is not None and held.action == Action.HELD_FOR_REPORTS:
            comment.status = held.from_status
        comment.reports_count = 0
        comment.save(update_fields=["status", "reports_count", "updated_at"])
        event = ModerationEvent.objects.create(  # type: ignore[misc]  # actor: AUTH_USER_MODEL
            comment=comment,
            actor=actor,
            action=Action.REPORTS_DISMISSED,
            from_status=from_status,
            to_status=comment.status,
            reason_text=clean_text(reason_text),
        )
        _resolve_reports(comment, event, CommentReport.Resolution.DISMISSED)
        _status_changed(comment, from_status)
    return comment


# What can be taken back: a decision on the status, or a dismissal of reports.
UNDOABLE = (*STATUS_DECISIONS, Action.REPORTS_DISMISSED)


def _later(event: ModerationEvent) -> Q:
    return Q(created_at__gt=event.created_at) | Q(created_at=event.created_at, id__gt=event.pk)


def _undo_refusal(
    event: ModerationEvent, comment: Comment, window: timedelta | None, now: datetime
) -> str | None:
    """Why this event cannot be undone now, in the moderator's words; None if it can."""
    if event.action not in UNDOABLE or event.actor_id is None:
        return "Only a person's decision or a dismissal of reports can be undone."
    if ModerationEvent.objects.filter(undoes=event).exists():
        return "This decision was already undone."
    if window is not None and now - event.created_at > window:
        return (
            f"The {window.seconds} seconds to undo have passed: "
            "undo it from the comment's history instead."
        )
    later = (
        comment.events.filter(_later(event), actor__isnull=False)
        .select_related("actor")
        .order_by("created_at", "id")
        .first()
    )
    if later is not None:
        return (
            f"{later.actor_label} acted on this comment later "
            f"({later.get_action_display().lower()}): decide it again instead."
        )
    if comment.status != event.to_status:
        return f"The comment has changed since: it is now {comment.get_status_display().lower()}."
    return None


def _previous_decision(event: ModerationEvent) -> ModerationEvent | None:
    """The person's status decision this one replaced, if any still stands."""
    return (
        ModerationEvent.objects.filter(
            comment_id=event.comment_id,
            action__in=STATUS_DECISIONS,
            actor__isnull=False,
            undone_by__isnull=True,
        )
        .exclude(_later(event) | Q(pk=event.pk))
        .order_by("-created_at", "-id")
        .first()
    )


def comment_undo(
    *,
    event_id: int,
    actor: AbstractBaseUser,
    window: timedelta | None = UNDO_WINDOW,
) -> Comment:
    """Take back a decision: the status it changed, who decided before, its reports.

    From the queue (`window`, a few seconds) or from the comment's history (no window).
    Refused with the reason, nothing written, once the window has passed, when anyone
    acted on the comment later, or when it was already undone. Audited as an "undone"
    event that names the one it took back.
    """
    with transaction.atomic():
        event = ModerationEvent.objects.filter(pk=event_id).first()
        if event is None:
            raise ValidationError({"event": ["No such decision."]})
        comment = Comment.objects.select_for_update().get(pk=event.comment_id)
        refusal = _undo_refusal(event, comment, window, timezone.now())
        if refusal is not None:
            raise ValidationError({"event": [refusal]})
        from_status = comment.status
        comment.status = event.from_status or comment.status
        if event.action in STATUS_DECISIONS:
            previous = _previous_decision(event)
            comment.decided_by_id = previous.actor_id if previous else None
            comment.decided_at = previous.created_at if previous else None
        reopened = CommentReport.objects.filter(resolved_event=event).update(
            resolved_at=None, resolution="", resolved_event=None
        )
        comment.reports_count += reopened
        comment.save()
        ModerationEvent.objects.create(  # type: ignore[misc]  # actor: AUTH_USER_MODEL
            comment=comment,
            actor=actor,
            action=Action.UNDONE,
            from_status=from_status,
            to_status=comment.status,
            reason_text=f"{event.get_action_display()} by {event.actor_label}",
            undoes=event,
        )
        _status_changed(comment, from_status)
    return comment


def comment_undo_batch(
    *, event_ids: Sequence[int], actor: AbstractBaseUser, window: timedelta | None = UNDO_WINDOW
) -> list[Comment]:
    """Undo a bulk decision: every one of its events, or none (the first refusal, named)."""
    comments = []
    with transaction.atomic():
        for event_id in dict.fromkeys(event_ids):
            try:
                comments.append(comment_undo(event_id=event_id, actor=actor, window=window))
            except ValidationError as error:
                comment_id = (
                    ModerationEvent.objects.filter(pk=event_id)
                    .values_list("comment_id", flat=True)
                    .first()
                )
                raise ValidationError(
                    {"event": [f"Comment #{comment_id}: {m}" for m in error.messages]}
                ) from None
    return comments
