"""Fixtures: the classifiers trained from the seed corpus, registered as active, and a
contrary spam model to put in shadow beside them."""

import pytest

from moderation import classifier, registry
from moderation.classifier import TextClassifier
from moderation.models import ClassifierModel
from moderation.retraining import seed_examples


@pytest.fixture
def fresh_worker(monkeypatch) -> None:
    """The test starts as a worker process that has loaded no model, active or shadow."""
    for cache in ("_loaded", "_refused", "_shadow_loaded", "_shadow_refused"):
        monkeypatch.setattr(registry, cache, {})


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


@pytest.fixture(scope="session")
def contrary_spam_model() -> TextClassifier:
    """A spam challenger trained on the seed corpus with every label turned over: it
    calls clean comments spam and spam clean, so any status it set would show."""
    texts, labels = seed_examples("spam")
    return classifier.train("spam", texts, [1 - label for label in labels])


@pytest.fixture
def spam_shadow(active_models, contrary_spam_model) -> ClassifierModel:
    """The contrary spam model in shadow beside the seed models."""
    return registry.classifier_register(
        classifier=contrary_spam_model,
        training_size=1,
        sources={"seed": 1},
        metrics={},
        activate=False,
        shadow=True,
    )


@pytest.fixture
def abuse_model_never_acts(settings) -> None:
    """The abuse thresholds out of reach, for tests of what other rules do to a comment
    the models alone would publish (an insult is one the abuse model holds)."""
    settings.ABUSE_HOLD = 1.0
    settings.ABUSE_REJECT = 1.0
