"""Loaders for the public labelled datasets in ../shared/datasets (read in place)."""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass, field
from pathlib import Path

from moderation.classifier import TrainingDataError, read_labelled_csv

FORMATS = ("youtube", "sms", "tvtropes", "csv")


def default_root() -> Path:
    """``$DATASETS_DIR``, else ``../shared/datasets`` beside the checkout."""
    configured = os.environ.get("DATASETS_DIR")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parent.parent.parent / "shared" / "datasets"


@dataclass
class Dataset:
    texts: list[str]
    labels: list[int]
    metas: list[dict[str, str]] | None = None
    sources: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.texts)

    def subset(self, index: list[int]) -> Dataset:
        return Dataset(
            [self.texts[i] for i in index],
            [self.labels[i] for i in index],
            None if self.metas is None else [self.metas[i] for i in index],
            self.sources,
        )

    def __add__(self, other: Dataset) -> Dataset:
        metas = None
        if self.metas is not None and other.metas is not None:
            metas = self.metas + other.metas
        return Dataset(
            self.texts + other.texts,
            self.labels + other.labels,
            metas,
            self.sources + other.sources,
        )


def _youtube(path: Path) -> Dataset:
    # TubeSpam: COMMENT_ID,AUTHOR,DATE,CONTENT,CLASS with quoted newlines.
    texts, labels, metas = [], [], []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            texts.append(row["CONTENT"])
            labels.append(int(row["CLASS"]))
            metas.append({"author_name": row["AUTHOR"]})
    return Dataset(texts, labels, metas, [path.name])


def _sms(path: Path) -> Dataset:
    # label<TAB>text, no header, bare quotes in texts: not a job for a CSV parser.
    texts, labels = [], []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            label, _, text = line.rstrip("\r\n").partition("\t")
            texts.append(text)
            labels.append(int(label == "spam"))
    return Dataset(texts, labels, None, [path.name])


def _tvtropes(path: Path) -> Dataset:
    # id,sentence,label without a header.
    texts, labels = [], []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle):
            texts.append(row[1])
            labels.append(int(row[2]))
    return Dataset(texts, labels, None, [path.name])


def load(
    paths: list[Path],
    fmt: str,
    *,
    text_col: str = "text",
    label_col: str = "label",
    positive: str = "1",
) -> list[Dataset]:
    """One Dataset per file, so that callers can split by file (YouTube: by video)."""
    loaded = []
    for path in paths:
        if fmt == "youtube":
            loaded.append(_youtube(path))
        elif fmt == "sms":
            loaded.append(_sms(path))
        elif fmt == "tvtropes":
            loaded.append(_tvtropes(path))
        elif fmt == "csv":
            texts, labels = read_labelled_csv(
                path, text_col=text_col, label_col=label_col, positive=positive
            )
            loaded.append(Dataset(texts, labels, None, [path.name]))
        else:
            raise TrainingDataError(f"unknown format {fmt!r}; expected one of {FORMATS}")
    return loaded


def deduplicate(data: Dataset) -> tuple[Dataset, int]:
    """Keep the first of each exact duplicate text; return the data and how many went."""
    seen: set[str] = set()
    keep = []
    for index, text in enumerate(data.texts):
        if text not in seen:
            seen.add(text)
            keep.append(index)
    return data.subset(keep), len(data) - len(keep)
