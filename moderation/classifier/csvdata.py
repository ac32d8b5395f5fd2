"""Labelled CSV files for training, read strictly: a bad file is an error that says
where and what, never a silently smaller training set.
"""

from __future__ import annotations

import csv
from pathlib import Path

from moderation.classifier.errors import TrainingDataError


def read_labelled_csv(
    path: str | Path, *, text_col: str, label_col: str, positive: str = "1"
) -> tuple[list[str], list[int]]:
    """Texts and 0/1 labels (1 where the label equals ``positive``) from a UTF-8 CSV
    with a header row. Raises TrainingDataError for a missing file or column, a row
    with the wrong number of fields, an empty label, more than two label values, or
    only one class.
    """
    path = Path(path)
    texts: list[str] = []
    raw_labels: list[str] = []
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            # strict: a stray quote is an error, not a silently merged row.
            reader = csv.DictReader(handle, strict=True)
            header = reader.fieldnames
            if not header:
                raise TrainingDataError(f"{path}: empty file, expected a header row")
            missing = [column for column in (text_col, label_col) if column not in header]
            if missing:
                raise TrainingDataError(
                    f"{path}: missing column(s) {', '.join(map(repr, missing))}; "
                    f"found {', '.join(map(repr, header))}"
                )
            for row in reader:
                if None in row or None in row.values():
                    more_or_fewer = "more" if None in row else "fewer"
                    raise TrainingDataError(
                        f"{path}, line {reader.line_num}: {more_or_fewer} fields than the "
                        f"header's {len(header)} (an unquoted comma or quote?)"
                    )
                label = row[label_col].strip()
                if not label:
                    raise TrainingDataError(f"{path}, line {reader.line_num}: empty label")
                texts.append(row[text_col])
                raw_labels.append(label)
    except FileNotFoundError as error:
        raise TrainingDataError(f"{path}: no such file") from error
    except UnicodeDecodeError as error:
        raise TrainingDataError(f"{path}: not UTF-8 text ({error.reason})") from error
    except csv.Error as error:
        raise TrainingDataError(f"{path}: unparseable CSV ({error})") from error
    if not texts:
        raise TrainingDataError(f"{path}: no data rows")
    others = sorted(set(raw_labels) - {positive})
    if len(others) > 1:
        shown = ", ".join(map(repr, others[:5]))
        raise TrainingDataError(
            f"{path}: column {label_col!r} should hold {positive!r} and one other value, "
            f"found {shown}{'…' if len(others) > 5 else ''} besides"
        )
    labels = [int(label == positive) for label in raw_labels]
    if not others or all(labels):
        only = raw_labels[0]
        raise TrainingDataError(
            f"{path}: only one class: every row is labelled {only!r} "
            f"(positive value is {positive!r})"
        )
    return texts, labels
