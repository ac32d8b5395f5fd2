"""Rows as the classifier and training leave them, for the desk's tests and screenshots."""

from datetime import timedelta

from django.utils import timezone

from moderation.models import ClassifierModel, Comment, ModerationEvent

SPAM_EXPLANATION = {
    "spam": [
        {"feature": 'word "casino"', "weight": 1.7},
        {"feature": 'fragment "http"', "weight": 0.9},
        {"feature": "many links", "weight": 0.4},
        {"feature": 'word "bridge"', "weight": -0.6},
    ],
    "spoiler": [{"feature": 'word "dies"', "weight": 1.1}],
}

FULL_METRICS = {
    "accuracy": 0.93,
    "precision": 0.91,
    "recall": 0.88,
    "f1": 0.894,
    "roc_auc": 0.97,
    "n": 120,
    "tp": 44,
    "fp": 4,
    "tn": 66,
    "fn": 6,
    "pr_curve": [[0.9, 1.0, 0.4], [0.7, 0.95, 0.7], [0.5, 0.91, 0.88], [0.2, 0.7, 0.98]],
}


def scored_comment(article, body: str = "Best casino bonus at http://spam.example", **fields):
    """A comment with scores, versions, explanation and its "scored" event."""
    fields.setdefault("author_name", "Oksana")
    fields.setdefault("spam_score", 0.72)
    fields.setdefault("spoiler_score", 0.05)
    fields.setdefault("spam_model_version", "a1" * 32)
    fields.setdefault("spoiler_model_version", "b2" * 32)
    fields.setdefault("explanation", SPAM_EXPLANATION)
    fields.setdefault("scored_at", timezone.now())
    comment = Comment.objects.create(article=article, body=body, **fields)
    ModerationEvent.objects.create(
        comment=comment,
        action=ModerationEvent.Action.SCORED,
        from_status="pending",
        to_status=comment.status,
        model_versions={
            "spam": comment.spam_model_version,
            "spoiler": comment.spoiler_model_version,
        },
        scores={"spam": comment.spam_score, "spoiler": comment.spoiler_score},
    )
    return comment


def classifier_model(
    task: str = "spam", version: str = "c3" * 32, state: str = "active", **fields
) -> ClassifierModel:
    fields.setdefault("metrics", FULL_METRICS)
    fields.setdefault("created_at", timezone.now() - timedelta(days=2))
    return ClassifierModel.objects.create(
        task=task,
        version=version,
        state=state,
        sklearn_version="1.9.0",
        training_size=640,
        sources={"seed": 600, "decisions": 40},
        artifact=b"not a model",
        **fields,
    )
