"""The benchmark's cross-domain splits: page order kept, long texts labelled by any sentence."""

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import _datasets
import cross_domain


def sentences(labels: list[int]) -> _datasets.Dataset:
    texts = [f"Sentence number {index}." for index in range(len(labels))]
    return _datasets.Dataset(texts, labels, None, ["pages.csv"])


def test_the_held_out_pages_are_the_last_rows_in_file_order():
    first, last = cross_domain.split_pages(sentences([0] * 10), share=0.2)
    assert first.texts == [f"Sentence number {i}." for i in range(8)]
    assert last.texts == ["Sentence number 8.", "Sentence number 9."]


def test_a_long_text_joins_consecutive_sentences_and_is_a_spoiler_if_any_is():
    joined = cross_domain.join_consecutive(sentences([0, 0, 0, 1, 0, 0, 0]), sizes=(3, 4))
    assert joined.labels == [0, 1]
    assert joined.texts[0] == "Sentence number 0. Sentence number 1.\n\nSentence number 2."
    assert joined.texts[1].count("\n\n") == 1 and "Sentence number 6." in joined.texts[1]


def test_pooling_scores_each_sentence():
    pooled = cross_domain.pooled_scores(
        lambda texts: np.array([0.5 if "one" in text else 0.0 for text in texts]),
        ["This is one. That is two!", "Nothing"],
    )
    assert pooled == {"max": [0.5, 0.0], "mean": [0.25, 0.0], "noisy-or": [0.5, 0.0]}
