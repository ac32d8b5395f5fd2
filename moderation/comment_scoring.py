"""Score comments with the active classifiers and hand the results to the services.

One comment at a time for the live path (classify_comment) while it keeps up, many at
once for the sweep and for a live queue that runs behind: the batch path scores all
texts in one call and writes them in one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from moderation import registry
from moderation.abuse import abuse_cue
from moderation.models import ClassifierModel, Comment
from moderation.policy import ModerationPolicy, RuleHit
from moderation.section_policy import comment_policies
from moderation.services import (
    CommentScores,
    comment_apply_scores,
    comment_apply_scores_batch,
    comment_store_explanation,
)
from moderation.shadow import Scored, shadow_score

if TYPE_CHECKING:
    # The scoring stack (scikit-learn) is loaded by the registry when a model is, on the
    # worker only: a web process imports this module through the tasks and never scores.
    from moderation.classifier import TextClassifier

# The tasks every comment is scored for, named without loading the classifier package.
TASKS = tuple(ClassifierModel.Task.values)
EXPLANATION_FEATURES = 5
# What scoring reads of a comment: its text and the request metadata (comment_signals).
# The rules (moderation.rules) read the same, and the article.
SIGNAL_FIELDS = (
    "pk",
    "article",
    "body",
    "author_name",
    "author_email",
    "user_agent",
    "referrer",
)


def _rule_hits(comments: Sequence[Comment]) -> dict[int, list[RuleHit]]:
    # Imported here: the rules load the campaign detector (datasketch, SciPy), which
    # belongs to the worker; a web process imports this module only to name the tasks.
    from moderation.rules import rule_hits

    return rule_hits(comments)


def _for_scoring(comments: QuerySet[Comment]) -> QuerySet[Comment]:
    """What scoring reads. The sections come apart, once per batch (comment_policies):
    joined in, they would cost two model instances per comment."""
    return comments.only(*SIGNAL_FIELDS)


class NoActiveModel(Exception):
    """A task has no active model yet: scoring waits (the task retries, the sweep returns)."""


@dataclass(frozen=True)
class ActiveModels:
    spam: TextClassifier
    spoiler: TextClassifier
    abuse: TextClassifier

    @property
    def by_task(self) -> dict[str, TextClassifier]:
        return {"spam": self.spam, "spoiler": self.spoiler, "abuse": self.abuse}

    @property
    def versions(self) -> dict[str, str]:
        return {task: model.version for task, model in self.by_task.items()}


def active_models() -> ActiveModels:
    versions = registry.active_versions()
    loaded = {task: registry.active_classifier(task, versions.get(task)) for task in TASKS}
    spam, spoiler, abuse = loaded["spam"], loaded["spoiler"], loaded["abuse"]
    if spam is None or spoiler is None or abuse is None:
        raise NoActiveModel("Train the default models first: manage.py train_default_models")
    return ActiveModels(spam=spam, spoiler=spoiler, abuse=abuse)


def comment_signals(comment: Comment) -> dict[str, str]:
    """Request metadata the classifier may use beside the text."""
    domain = comment.author_email.rpartition("@")[2]
    return {
        "author_name": comment.author_name,
        "author_email_domain": domain,
        "user_agent": comment.user_agent,
        "referrer": comment.referrer,
    }


def _explain(model: TextClassifier, text: str, meta: dict[str, str]) -> list[dict[str, object]]:
    return [
        {"feature": c.feature, "weight": round(c.weight, 4)}
        for c in model.explain(text, meta, k=EXPLANATION_FEATURES)
    ]


def _explain_all(models: ActiveModels, text: str, meta: dict[str, str]) -> dict[str, object]:
    return {task: _explain(model, text, meta) for task, model in models.by_task.items()}


def _abuse_cue(
    models: ActiveModels, policy: ModerationPolicy, score: float, text: str, meta: dict[str, str]
) -> str:
    """The words behind an abuse hold, for its reason; walked only when the policy acts."""
    return abuse_cue(models.abuse, text, meta) if policy.says_yes("abuse", score) else ""


def score_comment(comment_id: int) -> Comment | None:
    """Score a comment unless it is gone or already scored; idempotent."""
    found = _for_scoring(Comment.objects.filter(pk=comment_id, scored_at__isnull=True)).first()
    if found is None:
        return None
    return _score_one(found, active_models(), comment_policies([found])[found.pk])


def score_comment_and_followers(comment_id: int, *, limit: int | None = None) -> list[int]:
    """Score a comment and those posted after it that still wait; idempotent.

    Under load the scoring queue runs behind the readers. Then one task scores its
    comment and up to `limit - 1` newer ones in one classifier call and one
    transaction (the sweep's path), and the tasks of those comments find nothing left
    to do. A comment that waits alone takes the single path and gets its explanation
    at once. Returns the ids scored without an explanation that deserve one.
    """
    limit = limit or settings.SCORING_BATCH_SIZE
    waiting = list(
        _for_scoring(Comment.objects.filter(pk__gte=comment_id, scored_at__isnull=True)).order_by(
            "pk"
        )[:limit]
    )
    if not waiting:
        return []
    models = active_models()
    policies = comment_policies(waiting)
    if len(waiting) == 1:
        _score_one(waiting[0], models, policies[waiting[0].pk])
        return []
    return [
        s.comment_id
        for s in score_comments(waiting, models)
        if is_flagged(s, policies[s.comment_id])
    ]


def score_waiting_comments(*, time_budget: float, batch_size: int | None = None) -> SweepResult:
    """Score every comment still unscored, oldest first, batch by batch (coalesced scoring).

    No grace period and no clock: what counts is that the rows were committed before
    the caller lowered the scoring flag (moderation.scoring_wanted), so all of them are
    in the first select. A batch short of `batch_size` is the end of those: comments
    that commit later raised the flag again and have a run of their own, which then
    takes them all at once (chasing them here would score a trickle in small batches).
    A comment waiting alone takes the single path and gets its explanation at once.
    Stops after the time budget with `finished` False; the caller asks for another run.
    """
    batch_size = batch_size or settings.SCORING_BATCH_SIZE
    started = timezone.now()
    result = SweepResult()
    models: ActiveModels | None = None
    after_id = 0
    while True:
        batch = list(
            _for_scoring(
                Comment.objects.filter(scored_at__isnull=True, pk__gt=after_id)
            ).order_by("pk")[:batch_size]
        )  # fmt: skip
        if not batch:
            break
        after_id = batch[-1].pk
        models = models or active_models()
        policies = comment_policies(batch)
        if len(batch) == 1:
            _score_one(batch[0], models, policies[batch[0].pk])
            result.scored += 1
        else:
            stored = score_comments(batch, models)
            result.scored += len(stored)
            result.flagged.extend(
                s.comment_id for s in stored if is_flagged(s, policies[s.comment_id])
            )
        result.batches += 1
        if len(batch) < batch_size:
            break
        if (timezone.now() - started).total_seconds() > time_budget:
            result.finished = False
            break
    result.seconds = (timezone.now() - started).total_seconds()
    return result


def _score_one(comment: Comment, models: ActiveModels, policy: ModerationPolicy) -> Comment:
    meta = comment_signals(comment)
    abuse = float(models.abuse.score(comment.body, meta))
    scores = CommentScores(
        comment_id=comment.pk,
        spam_score=float(models.spam.score(comment.body, meta)),
        spoiler_score=float(models.spoiler.score(comment.body, meta)),
        model_versions=models.versions,
        explanation={},
        hits=tuple(_rule_hits([comment]).get(comment.pk, [])),
        abuse_score=abuse,
    )
    # Explaining costs several times the score: only for what a moderator will see.
    explanation = _explain_all(models, comment.body, meta) if is_flagged(scores, policy) else {}
    stored = comment_apply_scores(
        comment_id=comment.pk,
        spam_score=scores.spam_score,
        spoiler_score=scores.spoiler_score,
        model_versions=scores.model_versions,
        explanation=explanation,
        policy=policy,
        hits=scores.hits,
        abuse_score=abuse,
        abuse_cue=_abuse_cue(models, policy, abuse, comment.body, meta),
    )
    shadow_score(scored=[Scored.stored(stored, scores, meta)], policies={comment.pk: policy})
    return stored


def score_comments(
    comments: list[Comment], models: ActiveModels, policy: ModerationPolicy | None = None
) -> list[CommentScores]:
    """Score a batch with one classifier call per task; returns what this call stored.

    Each comment by its section's policy, unless one policy is given for all.

    No explanations here: walking each text for one costs milliseconds, ten times the
    score itself. The sweep leaves them to explain_comments, for flagged comments only.
    """
    if not comments:
        return []
    texts = [c.body for c in comments]
    metas = [comment_signals(c) for c in comments]
    spam_scores = models.spam.score_batch(texts, metas)
    spoiler_scores = models.spoiler.score_batch(texts, metas)
    abuse_scores = models.abuse.score_batch(texts, metas)
    hits = _rule_hits(comments)
    policies = (
        {comment.pk: policy for comment in comments} if policy else comment_policies(comments)
    )
    results = {
        comment.pk: CommentScores(
            comment_id=comment.pk,
            spam_score=float(spam),
            spoiler_score=float(spoiler),
            model_versions=models.versions,
            explanation={},
            hits=tuple(hits.get(comment.pk, [])),
            abuse_score=float(abuse),
            # Only the few the policy acts on are walked for their words.
            abuse_cue=_abuse_cue(models, policies[comment.pk], float(abuse), text, meta),
        )
        for comment, text, meta, spam, spoiler, abuse in zip(
            comments, texts, metas, spam_scores, spoiler_scores, abuse_scores, strict=True
        )
    }
    scored = comment_apply_scores_batch(scores=list(results.values()), policies=policies)
    signals = {c.pk: (text, meta) for c, text, meta in zip(comments, texts, metas, strict=True)}
    shadow_score(scored=[Scored(results[pk], *signals[pk]) for pk in scored], policies=policies)
    return [results[pk] for pk in scored]


def is_flagged(scores: CommentScores, policy: ModerationPolicy) -> bool:
    """Whether a moderator will want to know why (the policy's is_flagged)."""
    return policy.is_flagged(
        scores.spam_score, scores.spoiler_score, scores.hits, abuse_score=scores.abuse_score
    )


def explain_comment(comment_id: int) -> bool:
    """Store the explanation of a comment scored without one; False if it cannot be.

    Only with the models that scored it: a newer model's reasons would not be the ones
    behind the stored scores.
    """
    comment = (
        Comment.objects.filter(pk=comment_id, scored_at__isnull=False, explanation={})
        .only(*SIGNAL_FIELDS, *(f"{task}_model_version" for task in TASKS))
        .first()
    )  # fmt: skip
    if comment is None:
        return False
    models = active_models()
    if models.versions != {task: getattr(comment, f"{task}_model_version") for task in TASKS}:
        return False
    meta = comment_signals(comment)
    return comment_store_explanation(
        comment_id=comment.pk, explanation=_explain_all(models, comment.body, meta)
    )


def unscored_comments(*, older_than: timedelta, limit: int, after_id: int = 0) -> list[Comment]:
    """The oldest comments still unscored after the grace period (the partial index)."""
    cutoff = timezone.now() - older_than
    return list(
        _for_scoring(
            Comment.objects.filter(scored_at__isnull=True, created_at__lt=cutoff, pk__gt=after_id)
        ).order_by("pk")[:limit]
    )


@dataclass
class SweepResult:
    scored: int = 0
    # Scored without an explanation and worth one (see is_flagged).
    flagged: list[int] = field(default_factory=list)
    batches: int = 0
    seconds: float = 0.0
    finished: bool = True


def sweep_unscored_comments(
    *,
    older_than: timedelta | None = None,
    batch_size: int | None = None,
    time_budget: float | None = None,
) -> SweepResult:
    """Score every comment left unscored after the grace period, batch by batch.

    Stops after the time budget so a long backlog never keeps the scoring worker from
    live comments for long; the next sweep carries on where this one stopped.
    """
    older_than = (
        older_than if older_than is not None else timedelta(seconds=settings.SCORING_GRACE_SECONDS)
    )
    batch_size = batch_size or settings.SWEEP_BATCH_SIZE
    time_budget = time_budget if time_budget is not None else settings.SWEEP_TIME_BUDGET_SECONDS
    started = timezone.now()
    result = SweepResult()
    models = active_models()
    after_id = 0
    while True:
        batch = unscored_comments(older_than=older_than, limit=batch_size, after_id=after_id)
        if not batch:
            break
        # Rows skipped (locked by a live task) are past after_id; their task scores them.
        after_id = batch[-1].pk
        stored = score_comments(batch, models)
        policies = comment_policies(batch)
        result.scored += len(stored)
        result.flagged.extend(s.comment_id for s in stored if is_flagged(s, policies[s.comment_id]))
        result.batches += 1
        if (timezone.now() - started).total_seconds() > time_budget:
            result.finished = False
            break
    result.seconds = (timezone.now() - started).total_seconds()
    return result
