"""Cross-domain splits: train on one source of text, test on another.

In-domain folds flatter a classifier: train and test share a site's phrasing, length
and topics. A newsroom's readers write longer, chattier comments about other works,
so the figures that count are those on text unlike the training set:

- spam, trained on SMS and tested on YouTube comments, and the reverse;
- spoilers, trained on TV Tropes sentences of some pages and tested on
  - sentences of other pages,
  - the project's own seed corpus (news comments in en/uk/ru),
  - long texts: consecutive sentences of one page joined into one comment, a spoiler
    if any of its sentences is.

TV Tropes rows come page by page in id order (the page column was lost), so a
contiguous block of ids held out stands for "other pages"; only the boundary page
may straddle the cut.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import _datasets
import numpy as np

from moderation.classifier import read_labelled_csv

SEED = Path(__file__).resolve().parent.parent / "moderation" / "seed"
YOUTUBE = ("Youtube01-Psy.csv", "Youtube02-KatyPerry.csv", "Youtube03-LMFAO.csv")
HELD_OUT_PAGES_SHARE = 0.2
# Sentences per long text, in turn: discussion comments vary in length.
LONG_TEXT_SENTENCES = (3, 4, 5, 6, 8)
TASK_SPLITS = {"spam": ("sms", "youtube"), "spoiler": ("tvtropes",)}


@dataclass(frozen=True)
class CrossDomainSplit:
    """One training set and the held-out sets a model trained on it is tested on."""

    name: str
    train: _datasets.Dataset
    tests: tuple[tuple[str, _datasets.Dataset], ...]


def _plain(data: _datasets.Dataset) -> _datasets.Dataset:
    # Sources disagree on metadata (SMS has none): compare on the text alone.
    return _datasets.Dataset(data.texts, data.labels, None, data.sources)


def _concat(parts: list[_datasets.Dataset]) -> _datasets.Dataset:
    total = parts[0]
    for part in parts[1:]:
        total = total + part
    return total


def sms(root: Path | None = None) -> _datasets.Dataset:
    root = root or _datasets.default_root()
    data = _datasets.load([root / "sms_spam" / "SMSSpamCollection.tsv"], "sms")[0]
    return _plain(_datasets.deduplicate(data)[0])


def youtube(root: Path | None = None) -> _datasets.Dataset:
    root = root or _datasets.default_root()
    videos = _datasets.load([root / "youtube_spam" / name for name in YOUTUBE], "youtube")
    return _plain(_concat(videos))


def seed_spoilers(seed_dir: Path = SEED) -> _datasets.Dataset:
    texts, labels = read_labelled_csv(
        seed_dir / "spoiler.csv", text_col="text", label_col="label", positive="1"
    )
    return _datasets.Dataset(texts, labels, None, ["seed spoiler.csv"])


def split_pages(
    data: _datasets.Dataset, share: float = HELD_OUT_PAGES_SHARE
) -> tuple[_datasets.Dataset, _datasets.Dataset]:
    """The first rows (in file order, which is page order) and the last ``share``."""
    cut = round(len(data) * (1 - share))
    return data.subset(list(range(cut))), data.subset(list(range(cut, len(data))))


def join_consecutive(
    data: _datasets.Dataset, sizes: tuple[int, ...] = LONG_TEXT_SENTENCES
) -> _datasets.Dataset:
    """Consecutive rows joined into paragraphs of one text; a spoiler if any row is."""
    texts: list[str] = []
    labels: list[int] = []
    start, turn = 0, 0
    while start < len(data):
        size = sizes[turn % len(sizes)]
        rows = range(start, min(start + size, len(data)))
        # Two sentences to a paragraph: the shape of a long comment.
        sentences = [data.texts[i].strip() for i in rows]
        paragraphs = [" ".join(sentences[i : i + 2]) for i in range(0, len(sentences), 2)]
        texts.append("\n\n".join(paragraphs))
        labels.append(int(any(data.labels[i] for i in rows)))
        start += size
        turn += 1
    return _datasets.Dataset(texts, labels, None, [f"{source} joined" for source in data.sources])


def cross_domain_splits(task: str, root: Path | None = None) -> list[CrossDomainSplit]:
    if task not in TASK_SPLITS:
        raise ValueError(f"no cross-domain splits for {task!r}; have {sorted(TASK_SPLITS)}")
    root = root or _datasets.default_root()
    if task == "spam":
        sms_set, youtube_set = sms(root), youtube(root)
        return [
            CrossDomainSplit("train SMS", sms_set, (("test YouTube", youtube_set),)),
            CrossDomainSplit("train YouTube", youtube_set, (("test SMS", sms_set),)),
        ]
    tropes = _datasets.load([root / "tvtropes_spoilers" / "train.csv"], "tvtropes")[0]
    pages, other_pages = split_pages(tropes)
    return [
        CrossDomainSplit(
            "train TV Tropes (first 80% of pages)",
            pages,
            (
                ("test TV Tropes sentences, other pages", other_pages),
                ("test seed corpus (en/uk/ru news comments)", seed_spoilers()),
                (
                    "test long texts (other pages, 3-8 sentences joined)",
                    join_consecutive(other_pages),
                ),
            ),
        )
    ]


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
POOLINGS: dict[str, Callable[[np.ndarray], float]] = {
    "max": lambda scores: float(scores.max()),
    "mean": lambda scores: float(scores.mean()),
    # A spoiler if any sentence is, the sentences taken as independent.
    "noisy-or": lambda scores: float(1.0 - np.prod(1.0 - scores)),
}


def pooled_scores(
    score_batch: Callable[[list[str]], np.ndarray], texts: Sequence[str]
) -> dict[str, list[float]]:
    """Each text scored sentence by sentence, the sentence scores pooled each way."""
    sentences = [
        [part for part in _SENTENCE_END.split(text) if part.strip()] or [text] for text in texts
    ]
    flat = score_batch([part for parts in sentences for part in parts])
    pooled: dict[str, list[float]] = {name: [] for name in POOLINGS}
    start = 0
    for parts in sentences:
        scores = np.asarray(flat[start : start + len(parts)])
        start += len(parts)
        for name, pool in POOLINGS.items():
            pooled[name].append(pool(scores))
    return pooled
