"""A sanity check on real comments nobody on the team wrote (skipped without them).

The benchmark (bench/classifier_quality.py) measures quality; this only shows the
pipeline learns something that transfers from two YouTube videos to a third.
"""

import csv

import pytest
from classifier_examples import DATASETS, QUICK

from moderation.classifier import evaluate, train

YOUTUBE = DATASETS / "youtube_spam"


def _video(name: str) -> tuple[list[str], list[int]]:
    with (YOUTUBE / name).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [row["CONTENT"] for row in rows], [int(row["CLASS"]) for row in rows]


@pytest.mark.skipif(not YOUTUBE.exists(), reason="shared datasets not present")
def test_it_learns_spam_that_transfers_to_another_video():
    psy, katy, lmfao = (
        _video(name)
        for name in ("Youtube01-Psy.csv", "Youtube02-KatyPerry.csv", "Youtube03-LMFAO.csv")
    )
    model = train("spam", psy[0] + katy[0], psy[1] + katy[1], config=QUICK)
    metrics = evaluate(model, *lmfao)
    assert metrics["roc_auc"] > 0.9
    assert metrics["f1"] > 0.85
