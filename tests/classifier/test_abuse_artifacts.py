"""An abuse model is only ever an abuse model: an artifact of another task is refused."""

import pytest

from moderation.classifier import ModelFileError, TextClassifier


def test_an_artifact_of_another_task_is_refused_as_abuse(spam_model):
    with pytest.raises(ModelFileError, match="a model of the spam task, not of the abuse task"):
        TextClassifier.from_bytes(spam_model.to_bytes(), expected_task="abuse")


def test_an_artifact_of_its_own_task_loads(spam_model):
    loaded = TextClassifier.from_bytes(spam_model.to_bytes(), expected_task="spam")
    assert loaded.version == spam_model.version
