"""Explanations: which words, fragments and signals moved one text's score.

A linear model's decision is a sum over features, so each feature's share is
exact. Hashed columns have no names, so the text is walked again in Python: every
n-gram, word and word pair is hashed the slow, reference way and credited to the
whitespace-separated token it came from. A column hit by several tokens is shared
equally among them.
"""

from __future__ import annotations

import functools
import itertools
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from moderation.classifier import hashing
from moderation.classifier.features import (
    _TOP_LEVEL_DOMAIN,
    BLOCK_CHAR,
    BLOCK_META,
    BLOCK_WORD,
    words_of,
)
from moderation.classifier.scoring import LinearScorer

_SHOWN_CHARS = 40


@dataclass(frozen=True)
class Contribution:
    """One reason for a score: ``feature`` in an editor's words ('word "casino"',
    'many links'), ``weight`` its push in calibrated log-odds (positive: towards
    spam / spoiler).
    """

    feature: str
    weight: float


_DIGITS_TO_ZERO = str.maketrans("123456789", "000000000")


@functools.lru_cache(maxsize=1 << 16)
def _hash(text: str, namespace: int) -> int:
    return hashing.hash_string(text, namespace)


def _shown(text: str) -> str:
    return text if len(text) <= _SHOWN_CHARS else text[: _SHOWN_CHARS - 1] + "…"


def token_label(token: str) -> str:
    if "://" in token or token.startswith("www.") or _TOP_LEVEL_DOMAIN.search(token):
        return f'link "{_shown(token)}"'
    if token.isalnum():
        return f'word "{_shown(token)}"'
    return f'fragment "{_shown(token)}"'


def _meta_label(token: str) -> str:
    key, _, value = token.partition("=")
    return f'{key.replace("_", " ")} "{_shown(value)}"'


def contributions(
    scorer: LinearScorer, text: str, meta: Mapping[str, str] | None
) -> list[Contribution]:
    featurizer = scorer.featurizer
    view = featurizer.views((text, meta))
    groups, cols, _values, contributions_of, signals = scorer.weighted([view])
    n_bits = featurizer.n_bits
    fold = featurizer.fold_digits

    def column(feature: str, namespace: int) -> int:
        feature = feature.translate(_DIGITS_TO_ZERO) if fold else feature
        return hashing.column(_hash(feature, namespace), n_bits)

    # (block, column) -> the labels of the tokens that produced it, once per occurrence.
    credited: dict[tuple[int, int], list[str]] = defaultdict(list)
    low, high = featurizer.char_ngram_range
    words: list[tuple[str, int, str]] = []
    for index, token in enumerate(view.chars.split(" ")):
        if not token:
            continue
        label = token_label(token)
        padded = f" {token} "
        for n in range(low, high + 1):
            for start in range(len(padded) - n + 1):
                credited[BLOCK_CHAR, column(padded[start : start + n], hashing.NS_CHAR)].append(
                    label
                )
        for word in words_of(token):
            credited[BLOCK_WORD, column(word, hashing.NS_WORD)].append(label)
            words.append((word, index, label))
    if featurizer.word_ngrams >= 2:
        for (first, first_token, label), (second, second_token, _) in itertools.pairwise(words):
            pair_label = label if first_token == second_token else f'phrase "{first} {second}"'
            if fold:
                first, second = first.translate(_DIGITS_TO_ZERO), second.translate(_DIGITS_TO_ZERO)
            pair_column = hashing.column(hashing.hash_pair(first, second), n_bits)
            credited[BLOCK_WORD, pair_column].append(pair_label)
    for token in view.meta.split():
        credited[BLOCK_META, column(token, hashing.NS_META)].append(_meta_label(token))

    # With one document, a group is the block.
    totals: dict[str, float] = defaultdict(float)
    for block, col, contribution in zip(
        groups.tolist(), cols.tolist(), contributions_of.tolist(), strict=True
    ):
        labels = credited.get((block, col))
        if not labels:
            continue
        share = contribution * scorer.slope / len(labels)
        for label in labels:
            totals[label] += share
    named = featurizer.signal_labels()
    for index, signal in enumerate(signals[0].tolist() if named else []):
        if signal:
            totals[named[index]] += signal * float(scorer.signal_weights[index]) * scorer.slope
    return [Contribution(label, weight) for label, weight in totals.items() if weight]
