from django.core.management.base import BaseCommand

from moderation import registry
from moderation.classifier import TASKS
from moderation.retraining import classifier_retrain


class Command(BaseCommand):
    help = "Train the default spam and spoiler models from the seed corpus where none is active."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument(
            "--force", action="store_true", help="Retrain even if a model is active."
        )

    def handle(self, *args: object, force: bool = False, **options: object) -> None:
        for task in TASKS:
            if registry.active_version(task) and not force:
                self.stdout.write(f"{task}: active model already in place")
                continue
            row = classifier_retrain(task=task, force=True)
            f1 = row.metrics.get("f1", 0.0)
            self.stdout.write(
                f"{task}: trained {row.version[:12]} on {row.training_size} texts, "
                f"held-out F1 {f1:.3f}"
            )
