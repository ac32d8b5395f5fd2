"""Shadow models: score live comments beside the active model, store what they would do.

The active model acts; a shadow only watches. For each comment it scores, the shadow's
score and the status and spoiler flag the policy would have given with it are stored
beside the active model's, computed by the same policy object at the same moment. The
model page compares them (shadow_comparison) before an editor promotes or discards it.
"""

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Count, F, Min, Q, QuerySet

from articles.models import Article
from moderation import registry
from moderation.abuse import rejected_for_abuse
from moderation.models import ClassifierModel, Comment, ShadowScore
from moderation.policy import ModerationPolicy
from moderation.registry import ShadowModel
from moderation.services import CommentScores

logger = logging.getLogger(__name__)

DISAGREEMENTS_SHOWN = 50


@dataclass(frozen=True)
class Scored:
    """A comment the active model just scored: its scores and the classifier's inputs."""

    scores: CommentScores
    text: str
    meta: Mapping[str, str]
    # The policy's other inputs, when the caller holds the stored comment (else read once
    # for the batch): whether the author tagged a spoiler, whether its article premoderates.
    author_spoiler_tag: bool | None = None
    premoderated: bool | None = None

    @classmethod
    def stored(cls, comment: Comment, scores: CommentScores, meta: Mapping[str, str]) -> "Scored":
        """From the comment the scoring service returned (its article loaded with it)."""
        return cls(
            scores,
            comment.body,
            meta,
            author_spoiler_tag=comment.author_spoiler_tag,
            premoderated=comment.article.comment_mode == Article.CommentMode.PREMODERATED,
        )


def shadow_score(*, scored: Sequence[Scored], policies: Mapping[int, ModerationPolicy]) -> int:
    """Score the comments the active models just scored with each task's shadow (one
    classifier call per task for the batch) and store what it would have done, by the
    policy each comment was scored under (by comment id); returns the rows stored.

    Never raises: a shadow's failure is logged and live scoring goes on untouched.
    """
    if not scored:
        return 0
    try:
        shadows = registry.shadow_classifiers()
        if not shadows:
            return 0
        with transaction.atomic():
            return _shadow_score(shadows, scored, policies)
    except Exception:
        logger.exception(
            "Shadow scoring of %d comments failed; live scoring is not affected", len(scored)
        )
        return 0


def _shadow_score(
    shadows: Mapping[str, ShadowModel],
    scored: Sequence[Scored],
    policies: Mapping[int, ModerationPolicy],
) -> int:
    inputs = {
        s.scores.comment_id: (s.author_spoiler_tag, s.premoderated)
        for s in scored
        if s.author_spoiler_tag is not None and s.premoderated is not None
    }
    if missing := [s.scores.comment_id for s in scored if s.scores.comment_id not in inputs]:
        inputs |= {
            pk: (tag, mode == Article.CommentMode.PREMODERATED)
            for pk, tag, mode in Comment.objects.filter(pk__in=missing).values_list(
                "pk", "author_spoiler_tag", "article__comment_mode"
            )
        }
    rows = []
    for task, shadow in shadows.items():
        if len(scored) == 1:
            shadow_scores = [shadow.classifier.score(scored[0].text, scored[0].meta)]
        else:
            shadow_scores = list(
                shadow.classifier.score_batch([s.text for s in scored], [s.meta for s in scored])
            )
        for item, raw in zip(scored, shadow_scores, strict=True):
            if item.scores.comment_id not in inputs:
                continue  # gone since it was scored
            tag, premoderated = inputs[item.scores.comment_id]
            policy = policies[item.scores.comment_id]
            active = {
                "spam": item.scores.spam_score,
                "spoiler": item.scores.spoiler_score,
                "abuse": item.scores.abuse_score,
            }
            score = float(raw)
            active_verdict = policy.verdict(
                spam_score=active["spam"],
                spoiler_score=active["spoiler"],
                author_spoiler_tag=tag,
                premoderated=premoderated,
                hits=item.scores.hits,
                abuse_score=active["abuse"],
            )
            would = policy.verdict(
                **{f"{name}_score": value for name, value in {**active, task: score}.items()},
                author_spoiler_tag=tag,
                premoderated=premoderated,
                hits=item.scores.hits,
            )
            rows.append(
                ShadowScore(
                    comment_id=item.scores.comment_id,
                    model_id=shadow.model_id,
                    score=score,
                    would_status=would.status,
                    would_spoiler=would.is_spoiler,
                    says_yes=policy.says_yes(task, score),
                    active_score=active[task],
                    active_status=active_verdict.status,
                    active_spoiler=active_verdict.is_spoiler,
                    active_says_yes=policy.says_yes(task, active[task]),
                )
            )
    # A rerun (a redelivered task) finds its rows there already and adds none.
    return len(ShadowScore.objects.bulk_create(rows, ignore_conflicts=True))


# --- the comparison the model page shows --------------------------------------------


@dataclass(frozen=True)
class ShadowComparison:
    model: ClassifierModel
    comments: int
    # When it scored its first live comment (None before any).
    since: datetime | None
    # Same would-be status (spam) or spoiler flag (spoiler) as the active model.
    agree_with_active: int
    # Comments a person decided for this task (spam: approved or marked spam; spoiler:
    # set or cleared the flag), and how many of them each model's call matched.
    decided: int
    shadow_agrees_with_people: int
    active_agrees_with_people: int
    disagreements: list[ShadowScore]

    @property
    def disagree_with_active(self) -> int:
        return self.comments - self.agree_with_active


def _agrees_with_active(task: str) -> Q:
    if task in (ClassifierModel.Task.SPAM, ClassifierModel.Task.ABUSE):
        return Q(would_status=F("active_status"))
    return Q(would_spoiler=F("active_spoiler"))


def _person_said_yes(task: str) -> tuple[Q, Q]:
    """Comments a person labelled for the task: (decided at all, decided "yes")."""
    if task == ClassifierModel.Task.SPAM:
        decided = Q(
            comment__decided_at__isnull=False,
            comment__status__in=[Comment.Status.SPAM, Comment.Status.APPROVED],
        )
        return decided, decided & Q(comment__status=Comment.Status.SPAM)
    if task == ClassifierModel.Task.ABUSE:
        # Approved, or rejected for abuse (moderation.abuse.ABUSE_REASONS).
        decided = Q(comment__decided_at__isnull=False) & (
            Q(comment__status=Comment.Status.APPROVED)
            | (Q(comment__status=Comment.Status.REJECTED) & Q(rejected_for_abuse("comment")))
        )
        return decided, decided & Q(comment__status=Comment.Status.REJECTED)
    decided = Q(comment__spoiler_reviewed_at__isnull=False)
    return decided, decided & Q(comment__is_spoiler=True)


def shadow_rows(model: ClassifierModel) -> QuerySet[ShadowScore]:
    return ShadowScore.objects.filter(model=model)


def shadow_comparison(model: ClassifierModel) -> ShadowComparison:
    """The shadow against the active model and against people, over every live comment
    it scored (all of them since it went into shadow); one aggregate query and one for
    the newest disagreements.
    """
    task = model.task
    decided, person_yes = _person_said_yes(task)
    person_no = decided & ~person_yes
    figures = shadow_rows(model).aggregate(
        comments=Count("pk"),
        since=Min("created_at"),
        agree=Count("pk", filter=_agrees_with_active(task)),
        decided=Count("pk", filter=decided),
        shadow_people=Count(
            "pk", filter=(person_yes & Q(says_yes=True)) | (person_no & Q(says_yes=False))
        ),
        active_people=Count(
            "pk",
            filter=(person_yes & Q(active_says_yes=True)) | (person_no & Q(active_says_yes=False)),
        ),
    )
    disagreements = list(
        shadow_rows(model)
        .exclude(_agrees_with_active(task))
        .select_related("comment")
        .order_by("-created_at", "-pk")[:DISAGREEMENTS_SHOWN]
    )
    return ShadowComparison(
        model=model,
        comments=figures["comments"],
        since=figures["since"],
        agree_with_active=figures["agree"],
        decided=figures["decided"],
        shadow_agrees_with_people=figures["shadow_people"],
        active_agrees_with_people=figures["active_people"],
        disagreements=disagreements,
    )
