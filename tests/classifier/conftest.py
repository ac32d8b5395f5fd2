"""Small models trained on inline examples, shared by the classifier tests."""

import pytest
from classifier_examples import HAM, NOT_SPOILERS, QUICK, SPAM, SPOILERS

from moderation.classifier import TextClassifier, train


@pytest.fixture(scope="session")
def spam_model() -> TextClassifier:
    return train("spam", SPAM + HAM, [1] * len(SPAM) + [0] * len(HAM), config=QUICK)


@pytest.fixture(scope="session")
def spoiler_model() -> TextClassifier:
    return train(
        "spoiler",
        SPOILERS + NOT_SPOILERS,
        [1] * len(SPOILERS) + [0] * len(NOT_SPOILERS),
        config=QUICK,
    )
