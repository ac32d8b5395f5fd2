"""Fixtures for the desk: scored comments and classifier model rows."""

from datetime import timedelta

import pytest
from django.utils import timezone

from moderation.models import ClassifierModel, ModerationEvent

SPAM_EXPLANATION = {
    "spam": [
        {"feature": 'word "casino"', "weight": 1.7},
        {"feature": 'fragment "http"', "weight": 0.9},
        {"feature": "many links", "weight": 0.4},
        {"feature": 'word "bridge"', "weight": -0.6},
    ],
    "spoiler": [{"feature": 'word "dies"', "weight": 1.1}],
}


@pytest.fixture
def scored_comment(make_comment):
    """A comment as the classifier leaves it: scores, versions, explanation, a scored event."""

    def make(body: str = "Best casino bonus at http://spam.example", **fields):
        fields.setdefault("spam_score", 0.72)
        fields.setdefault("spoiler_score", 0.05)
        fields.setdefault("spam_model_version", "a1" * 32)
        fields.setdefault("spoiler_model_version", "b2" * 32)
        fields.setdefault("explanation", SPAM_EXPLANATION)
        fields.setdefault("scored_at", timezone.now())
        comment = make_comment(body, **fields)
        ModerationEvent.objects.create(
            comment=comment,
            action=ModerationEvent.Action.SCORED,
            from_status="pending",
            to_status=comment.status,
            model_versions={"spam": comment.spam_model_version, "spoiler": "b2" * 32},
            scores={"spam": comment.spam_score, "spoiler": comment.spoiler_score},
        )
        return comment

    return make


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


@pytest.fixture
def make_model(db):
    def make(task: str = "spam", version: str = "c3" * 32, state: str = "active", **fields):
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

    return make
