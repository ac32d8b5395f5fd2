"""Fixtures: the classifiers trained from the seed corpus, registered as active."""

import pytest

from moderation import classifier, registry
from moderation.classifier import TextClassifier
from moderation.retraining import seed_examples


@pytest.fixture(scope="session")
def seed_classifiers() -> dict[str, TextClassifier]:
    """Trained once per test session from the seed corpus (pure: no database)."""
    return {task: classifier.train(task, *seed_examples(task)) for task in classifier.TASKS}


@pytest.fixture
def active_models(db, seed_classifiers) -> dict[str, TextClassifier]:
    for model in seed_classifiers.values():
        registry.classifier_register(
            classifier=model, training_size=1, sources={"seed": 1}, metrics={}, activate=True
        )
    return seed_classifiers
