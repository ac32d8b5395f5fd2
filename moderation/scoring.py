"""Score one comment with the active classifiers and hand the result to the services."""

from moderation import registry
from moderation.models import Comment
from moderation.services import comment_apply_scores

EXPLANATION_FEATURES = 5


class NoActiveModel(Exception):
    """A task has no active model yet: scoring waits (the task retries, the sweep returns)."""


def comment_signals(comment: Comment) -> dict[str, str]:
    """Request metadata the classifier may use beside the text."""
    domain = comment.author_email.rpartition("@")[2]
    return {
        "author_name": comment.author_name,
        "author_email_domain": domain,
        "user_agent": comment.user_agent,
        "referrer": comment.referrer,
    }


def score_comment(comment_id: int) -> Comment | None:
    """Score a comment unless it is gone or already scored; idempotent."""
    comment = Comment.objects.filter(pk=comment_id, scored_at__isnull=True).first()
    if comment is None:
        return None
    spam = registry.active_classifier("spam")
    spoiler = registry.active_classifier("spoiler")
    if spam is None or spoiler is None:
        raise NoActiveModel("Train the default models first: manage.py train_default_models")
    meta = comment_signals(comment)
    explanation = {
        task: [
            {"feature": c.feature, "weight": round(c.weight, 4)}
            for c in model.explain(comment.body, meta, k=EXPLANATION_FEATURES)
        ]
        for task, model in (("spam", spam), ("spoiler", spoiler))
    }
    return comment_apply_scores(
        comment_id=comment.pk,
        spam_score=float(spam.score(comment.body, meta)),
        spoiler_score=float(spoiler.score(comment.body, meta)),
        model_versions={"spam": spam.version, "spoiler": spoiler.version},
        explanation=explanation,
    )
