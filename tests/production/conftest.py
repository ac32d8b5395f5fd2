import pytest

from moderation.classifier.layout import code_layout
from moderation.models import ClassifierModel


@pytest.fixture
def active_models(db) -> list[ClassifierModel]:
    """A registry row per task, as readiness sees it (the artifact itself is not loaded)."""
    return [
        ClassifierModel.objects.create(
            task=task,
            version=f"{task}-v1".ljust(64, "0"),
            state=ClassifierModel.State.ACTIVE,
            sklearn_version="1.9.0",
            training_size=100,
            artifact=b"not loaded by the probe",
            layout=code_layout(),
        )
        for task in ClassifierModel.Task.values
    ]
