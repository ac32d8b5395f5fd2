from django.core.management.base import BaseCommand

from moderation.classifier import TASKS
from moderation.classifier.layout import code_mismatch
from moderation.models import ClassifierModel
from moderation.retraining import classifier_retrain


class Command(BaseCommand):
    help = (
        "Train the default spam, spoiler and abuse models from the seed corpus where none is "
        "active, or where the active one was trained on a feature layout this code refuses."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument(
            "--force", action="store_true", help="Retrain even if a usable model is active."
        )

    def handle(self, *args: object, force: bool = False, **options: object) -> None:
        for task in TASKS:
            active = (
                ClassifierModel.objects.filter(task=task, state=ClassifierModel.State.ACTIVE)
                .only("version", "layout")
                .first()
            )
            stale = code_mismatch(active.layout) if active else None
            if active and not stale and not force:
                self.stdout.write(f"{task}: active model already in place")
                continue
            if active and stale:
                self.stdout.write(
                    f"{task}: active model {active.version[:12]} has a stale feature layout "
                    f"({stale}); training a new default"
                )
            row = classifier_retrain(task=task, force=True)
            f1 = row.metrics.get("f1", 0.0)
            self.stdout.write(
                f"{task}: trained {row.version[:12]} on {row.training_size} texts, "
                f"held-out F1 {f1:.3f}"
            )
