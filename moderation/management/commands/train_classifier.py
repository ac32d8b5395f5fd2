from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from moderation.classifier import TASKS, TrainingDataError, read_labelled_csv
from moderation.retraining import LabelledSet, classifier_retrain


class Command(BaseCommand):
    help = (
        "Train a challenger from the seed corpus, a labelled CSV and people's decisions; "
        "promote it if it is not worse than the active model on the same held-out split, "
        "or with --shadow put it in shadow beside the active model."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--task", choices=TASKS, required=True)
        parser.add_argument("--csv", type=Path, required=True, help="labelled CSV file")
        parser.add_argument("--text-col", required=True)
        parser.add_argument("--label-col", required=True)
        parser.add_argument("--positive", default="1", help="label value of the positive class")
        parser.add_argument(
            "--force", action="store_true", help="promote even if worse than the active model"
        )
        parser.add_argument(
            "--shadow",
            action="store_true",
            help="put the challenger in shadow: it scores live comments without acting, "
            "to be promoted or discarded from the model page",
        )

    def handle(self, *args: object, **options: object) -> None:
        path = options["csv"]
        assert isinstance(path, Path)
        try:
            texts, labels = read_labelled_csv(
                path,
                text_col=str(options["text_col"]),
                label_col=str(options["label_col"]),
                positive=str(options["positive"]),
            )
            extra = LabelledSet()
            extra.add(f"csv:{path.name}", texts, labels)
            row = classifier_retrain(
                task=str(options["task"]),
                extra=extra,
                force=bool(options["force"]),
                shadow=bool(options["shadow"]),
            )
        except (TrainingDataError, OSError) as error:
            raise CommandError(f"{path}: {error}") from error
        except ValueError as error:  # a shadow already running, --force with --shadow
            raise CommandError(str(error)) from error
        verdict = {
            row.State.ACTIVE: "promoted to active",
            row.State.SHADOW: "put in shadow beside the active model",
        }.get(row.State(row.state), "kept as rejected")
        metrics = row.metrics
        self.stdout.write(
            f"{row.task} {row.version[:12]}: {verdict}; trained on {row.training_size} texts "
            f"({dict(row.sources)}); held-out F1 {metrics.get('f1', 0):.3f}, "
            f"ROC-AUC {metrics.get('roc_auc', 0):.3f}"
        )
        if row.compared_with:
            active = row.compared_with.get("metrics") or {}
            self.stdout.write(
                f"active model {row.compared_with.get('version', '')[:12]} on the same split: "
                f"F1 {active.get('f1', 0):.3f}, ROC-AUC {active.get('roc_auc', 0):.3f}"
            )
