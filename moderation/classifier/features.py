"""Featurizer: hashed character n-grams, words, word pairs, metadata tokens and a
few editor-readable signals, as a scikit-learn transformer.

The same ``views``/``count``/``weigh`` steps feed the scikit-learn pipeline
(``transform``) and the fast scorer, so the two cannot drift apart. The per-text
part in Python is kept to cheap string methods; everything per character runs in
numpy over the whole batch at once.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin

from moderation.classifier import hashing
from moderation.classifier.layout import LENGTH_BINS, SIGNAL_LABELS, code_layout
from moderation.classifier.spoiler_cues import cue_labels, cue_values
from moderation.classifier.text import fold_mixed_script, normalise_text

Meta = Mapping[str, str] | None
# A document is a text, or a text with the request's metadata.
Doc = str | tuple[str, Meta]
IntArray = npt.NDArray[np.intp]
U64 = npt.NDArray[np.uint64]
FloatArray = npt.NDArray[np.float64]

_TOP_LEVEL_DOMAIN = re.compile(
    r"\.(?:com|net|org|info|biz|ru|ua|ly|me|io|co|tk|xyz|top|us|uk|de|tv|gl|be)\b"
)
_MONEY = ("£", "€", "₴", "₽", "¥")  # and "$", counted apart: it is ASCII
# The same counts as the vectorised pass makes for a batch (three of a character in a
# row, counted at every position; runs of 5+ ASCII digits), for one text.
_TRIPLE = re.compile(r"(?=([^ ])\1\1)")
_LONG_NUMBER = re.compile("[0-9]{5,}")
_SPACE = 32
_DIGIT_ZERO = 48

_MIDDLE_BAND = 2
# Filled in by the vectorised pass rather than per text in Python.
_REPEATED_COLUMN = SIGNAL_LABELS.index("repeated characters")
_NUMBER_COLUMN = SIGNAL_LABELS.index("long number")

BLOCK_CHAR, BLOCK_WORD, BLOCK_META = 0, 1, 2
N_BLOCKS = 3
BLOCK_NAMES = ("characters", "words", "metadata")


# Which code points of the basic plane are letters or digits (str.isalnum), built once
# at import (tens of milliseconds) rather than during someone's first request.
_WORD_CHARACTER = np.fromiter(
    map(str.isalnum, map(chr, range(0x10000))), dtype=np.bool_, count=0x10000
)


def _is_word_character(codes: npt.NDArray[np.uint32]) -> npt.NDArray[np.bool_]:
    beyond = codes >= _WORD_CHARACTER.shape[0]
    if not beyond.any():
        return _WORD_CHARACTER[codes]
    result = _WORD_CHARACTER[np.where(beyond, 0, codes)]
    # Outside the basic plane (emoji, rare scripts): ask Python, once per code point.
    values, inverse = np.unique(codes[beyond], return_inverse=True)
    result[beyond] = np.array([chr(int(c)).isalnum() for c in values])[inverse]
    return result


class Views(NamedTuple):
    """What the features of one document are computed from (a named tuple: one is
    made for every text scored, and tuples are the cheapest to make).
    """

    chars: str  # lower-cased, cleaned, single-spaced text
    meta: str  # space-separated metadata tokens ("author_email_domain=example.com")
    signals: tuple[float, ...]


@dataclass(frozen=True)
class Encoded:
    """A batch as (row, column, value) triples plus the dense signal columns."""

    n_docs: int
    groups: IntArray  # block * n_docs + row
    rows: IntArray
    cols: IntArray
    values: FloatArray
    signals: FloatArray


def split_doc(doc: Doc) -> tuple[str, Meta]:
    if isinstance(doc, tuple):
        return doc[0], doc[1]
    return doc, None


def words_of(chars: str) -> list[str]:
    """The words of a view, as the vectorised pass finds them (runs of letters/digits)."""
    return "".join(c if c.isalnum() else " " for c in chars).split()


def link_count(lowered: str) -> int:
    """How many links a lower-cased text holds: schemes, "www." or known domain endings."""
    links = max(lowered.count("://"), lowered.count("www."))
    if "." in lowered:
        links = max(links, len(_TOP_LEVEL_DOMAIN.findall(lowered)))
    return links


def _python_signals(text: str, lowered: str, mixed_words: int, length: int) -> list[float]:
    # Called for every text scored: cheap string methods first, regexes only when
    # they can match.
    words = text.split()
    shouted = sum(len(word) >= 3 for word in filter(str.isupper, words))
    links = link_count(lowered)
    money = text.count("$")
    if not text.isascii():
        money += sum(text.count(symbol) for symbol in _MONEY)
    signals = [
        math.log1p(links),
        shouted / len(words) if words else 0.0,
        math.log1p(text.count("!")),
        math.log1p(text.count("@")),
        math.log1p(money),
        math.log1p(mixed_words),
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
    ]
    band = bisect.bisect_right(LENGTH_BINS, length)
    if band != _MIDDLE_BAND:
        signals[_NUMBER_COLUMN + 1 + band - (band > _MIDDLE_BAND)] = 1.0
    return signals


def meta_tokens(meta: Meta, keys: Sequence[str]) -> list[str]:
    if not meta:
        return []
    tokens = []
    for key in keys:
        value = meta.get(key)
        if value and isinstance(value, str):
            cleaned = normalise_text(value).lower()[:100].replace(" ", "_")
            if cleaned:
                tokens.append(f"{key}={cleaned}")
    return tokens


def _group_bits(n_docs: int) -> int:
    """Bits for a group number, block * n_docs + doc."""
    return max(1, (N_BLOCKS * n_docs - 1).bit_length())


def _runs(mask: npt.NDArray[np.bool_]) -> tuple[IntArray, IntArray]:
    """Start and end (exclusive) of each run of True; mask[0] and mask[-1] are False."""
    edges = (mask[1:] != mask[:-1]).nonzero()[0] + 1
    return edges[0::2], edges[1::2]


class CommentFeaturizer(TransformerMixin, BaseEstimator):
    """Texts (or ``(text, meta)`` pairs) to a sparse matrix of ``2**n_bits`` hashed
    columns followed by ``len(SIGNAL_LABELS)`` signal columns.

    Character n-grams are taken within each word padded by spaces (like
    scikit-learn's ``char_wb``), so they carry any alphabet, transliterated or not,
    without a vocabulary. Characters, words (with word pairs) and metadata are three
    blocks, each TF(-IDF) weighted and L2-normalised on its own.
    """

    def __init__(
        self,
        *,
        char_ngram_range: tuple[int, int] = (2, 5),
        word_ngrams: int = 2,
        n_bits: int = 20,
        sublinear_tf: bool = True,
        use_idf: bool = True,
        signals: bool = True,
        meta_keys: tuple[str, ...] = (),
        fold_digits: bool = False,
        max_chars: int = 5000,
        cues: str = "",
        muted_signals: tuple[str, ...] = (),
        muted_blocks: tuple[str, ...] = (),
    ) -> None:
        self.char_ngram_range = char_ngram_range
        self.word_ngrams = word_ngrams
        self.n_bits = n_bits
        self.sublinear_tf = sublinear_tf
        self.use_idf = use_idf
        self.signals = signals
        self.meta_keys = meta_keys
        self.fold_digits = fold_digits
        self.max_chars = max_chars
        # A task's own cue columns after the signals (spoiler_cues.py), and, for
        # ablations, signal columns held at zero and n-gram blocks left out.
        self.cues = cues
        self.muted_signals = muted_signals
        self.muted_blocks = muted_blocks

    @property
    def n_hashed(self) -> int:
        return 1 << self.n_bits

    def signal_labels(self) -> tuple[str, ...]:
        """Names of the dense columns, in order: the signals, then the task's cues."""
        return (SIGNAL_LABELS if self.signals else ()) + cue_labels(self.cues)

    @property
    def n_signals(self) -> int:
        return len(self.signal_labels())

    def layout(self) -> dict[str, Any]:
        """What this featurizer's columns mean: the code's layout (version, signal
        names, length bands) and the parameters that size the hashed block.
        """
        return {
            **code_layout(),
            "signals": list(SIGNAL_LABELS) if self.signals else [],
            "n_bits": self.n_bits,
            "char_ngram_range": list(self.char_ngram_range),
            "word_ngrams": self.word_ngrams,
            "fold_digits": self.fold_digits,
            "meta_keys": list(self.meta_keys),
            # Only when used, so that models trained before cues existed still load.
            **({"cues": list(cue_labels(self.cues))} if self.cues else {}),
        }

    # -- per document, in Python -----------------------------------------------------

    def views(self, doc: Doc) -> Views:
        text, meta = split_doc(doc)
        if not isinstance(text, str):
            text = normalise_text(text)
        # Normalising a 1 MB paste costs milliseconds; no comment needs that much.
        cleaned = normalise_text(text[: self.max_chars * 4])
        length = len(cleaned)
        cleaned = cleaned[: self.max_chars].rstrip()
        lowered = cleaned.lower()
        chars, mixed_words = fold_mixed_script(lowered)
        signals = _python_signals(cleaned, lowered, mixed_words, length) if self.signals else []
        if self.cues:
            signals += cue_values(self.cues, cleaned, lowered)
        meta_view = " ".join(meta_tokens(meta, self.meta_keys)) if self.meta_keys else ""
        return Views(chars, meta_view, tuple(signals))

    # -- per batch, vectorised -------------------------------------------------------

    def _occurrences(self, views: Sequence[Views]) -> tuple[npt.NDArray[Any], FloatArray]:
        """A key per feature occurrence, ``column << group_bits | block * n_docs + doc``,
        and the signal columns. Column first, so that once sorted the model's weight
        arrays are read in address order.

        Scoring one text is a few dozen numpy calls on short arrays, so every call
        counts: with one document and no metadata the document bookkeeping is skipped.
        """
        n_docs = len(views)
        n_bits = self.n_bits
        low, high = self.char_ngram_range
        with_meta = bool(self.meta_keys)
        single = n_docs == 1 and not with_meta
        # 32-bit keys sort about three times faster than 64-bit ones.
        group_bits = _group_bits(n_docs)
        key_type: Any = np.int32 if n_bits + group_bits <= 31 else np.int64

        segments = [view.chars for view in views]
        if with_meta:
            segments = [part for view in views for part in (view.chars, view.meta)]
        # Each segment is padded by a space on both sides, so no n-gram or token can
        # straddle two segments; the tail lets every window start read in bounds.
        buffer = " " + "  ".join(segments) + " " * (high + 1)
        codes = np.frombuffer(buffer.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        size = codes.shape[0]
        doc_of_pos: IntArray | None = None
        if not single:
            seg_lengths = np.fromiter(map(len, segments), dtype=np.intp, count=len(segments))
            seg_lengths += 2
            seg_lengths[-1] += high
            seg_of_pos = np.repeat(np.arange(len(segments), dtype=np.intp), seg_lengths)
            doc_of_pos = seg_of_pos >> 1 if with_meta else seg_of_pos
        is_space = codes == _SPACE
        in_chars = ~is_space
        if with_meta:
            in_meta = in_chars & (seg_of_pos & 1).astype(np.bool_)
            in_chars &= ~in_meta
        # uint32 wrap-around: one comparison finds 0-9.
        is_digit = (codes - np.uint32(_DIGIT_ZERO)) < 10 if self.fold_digits or not single else None
        hasher = hashing.PrefixHasher(
            np.where(is_digit, np.uint32(_DIGIT_ZERO), codes)
            if is_digit is not None and self.fold_digits
            else codes
        )
        # Keyed hashes of each kind of feature, in block order, with their namespace
        # already added; and the document of each (unless there is only one).
        parts: list[U64] = []
        part_docs: list[IntArray] = []
        block_starts: list[int] = []
        total = 0

        def add(block: int, keyed: U64, namespace: int, docs: IntArray | None) -> None:
            nonlocal total
            keyed += hashing.namespace_key(namespace)
            while len(block_starts) <= block:
                block_starts.append(total)
            parts.append(keyed)
            if docs is not None:
                part_docs.append(docs)
            total += keyed.shape[0]

        # Character n-grams: every window with no space strictly inside it that holds
        # a character of a character segment.
        windows = hasher.all_windows(low, high)
        count = windows.shape[0]
        spaces_before = np.zeros(size + 1, dtype=np.int32)
        np.cumsum(is_space, out=spaces_before[1:])
        # Spaces strictly inside the window [a, a + n) are spaces_before[a + n - 1]
        # minus spaces_before[a + 1].
        spans = hashing.windows(spaces_before, count, high)
        valid = spans[:, low - 1 :] == spans[:, 1:2]
        valid &= (in_chars[:count] | in_chars[1 : count + 1])[:, None]
        char_docs = None
        if doc_of_pos is not None:
            char_docs = np.broadcast_to(doc_of_pos[:count, None], windows.shape)[valid]
        add(BLOCK_CHAR, windows[valid], hashing.NS_CHAR, char_docs)

        # Words (runs of letters and digits inside character segments) and word pairs.
        if single and views[0].chars.isascii():
            is_word = _WORD_CHARACTER[codes]
        else:
            is_word = in_chars & _is_word_character(codes)
        word_starts, word_ends = _runs(is_word)
        word_keyed = hasher.keyed(word_starts, word_ends)
        word_docs = None if doc_of_pos is None else doc_of_pos[word_starts]
        if self.word_ngrams >= 2 and word_keyed.shape[0] > 1:
            first, second = word_keyed[:-1], word_keyed[1:]
            pair_docs = None
            if word_docs is not None:
                same_doc = word_docs[1:] == word_docs[:-1]
                first, second, pair_docs = (
                    first[same_doc],
                    second[same_doc],
                    word_docs[1:][same_doc],
                )
            pairs = hashing.pair_keys(first, second)
            add(BLOCK_WORD, word_keyed, hashing.NS_WORD, word_docs)
            add(BLOCK_WORD, pairs, hashing.NS_PAIR, pair_docs)
        else:
            add(BLOCK_WORD, word_keyed, hashing.NS_WORD, word_docs)
        if with_meta and doc_of_pos is not None:
            meta_starts, meta_ends = _runs(in_meta)
            meta_keyed = hasher.keyed(meta_starts, meta_ends)
            add(BLOCK_META, meta_keyed, hashing.NS_META, doc_of_pos[meta_starts])

        keys = hashing.columns(np.concatenate(parts), n_bits).astype(key_type)
        keys <<= group_bits
        if part_docs:
            keys |= np.concatenate(part_docs).astype(key_type)
        for start in block_starts[1:]:
            keys[start:] += key_type(n_docs)

        signals = np.array([view.signals for view in views], dtype=np.float64)
        if not self.signals:
            pass
        elif single:
            # Two regexes cost less than a dozen numpy calls on one short text; tests
            # check that both ways agree.
            chars = views[0].chars
            signals[0, _REPEATED_COLUMN] = math.log1p(len(_TRIPLE.findall(chars)))
            signals[0, _NUMBER_COLUMN] = math.log1p(len(_LONG_NUMBER.findall(chars)))
        elif is_digit is not None and doc_of_pos is not None:
            # Three of a character in a row ("!!!", "soooo"), and runs of 5+ digits.
            triples = in_chars[2:] & (codes[2:] == codes[1:-1]) & (codes[1:-1] == codes[:-2])
            digit_starts, digit_ends = _runs(is_digit & in_chars)
            long_numbers = digit_starts[(digit_ends - digit_starts) >= 5]
            repeated = np.bincount(doc_of_pos[:-2][triples], minlength=n_docs)
            numbers = np.bincount(doc_of_pos[long_numbers], minlength=n_docs)
            signals[:, _REPEATED_COLUMN] = np.log1p(repeated)
            signals[:, _NUMBER_COLUMN] = np.log1p(numbers)
        signals = signals.reshape(n_docs, -1)
        if self.muted_signals:
            labels = self.signal_labels()
            signals[:, [labels.index(label) for label in self.muted_signals]] = 0.0
        return keys, signals

    def count(self, views: Sequence[Views]) -> tuple[IntArray, IntArray, IntArray, FloatArray]:
        """Distinct (block * n_docs + doc, column) pairs, their counts, the signals."""
        keys, signals = self._occurrences(views)
        keys.sort()
        first = np.empty(keys.shape[0], dtype=np.bool_)
        first[:1] = True
        np.not_equal(keys[1:], keys[:-1], out=first[1:])
        positions = first.nonzero()[0]
        counts = np.empty(positions.shape[0], dtype=np.intp)
        counts[:-1] = positions[1:] - positions[:-1]
        counts[-1:] = keys.shape[0] - positions[-1:]
        unique = keys[positions]
        group_bits = _group_bits(len(views))
        groups = (unique & ((1 << group_bits) - 1)).astype(np.intp)
        cols = (unique >> group_bits).astype(np.intp)
        if self.muted_blocks:
            muted = [BLOCK_NAMES.index(name) for name in self.muted_blocks]
            kept = ~np.isin(groups // len(views), muted)
            groups, cols, counts = groups[kept], cols[kept], counts[kept]
        return groups, cols, counts, signals

    def term_weights(self, counts: IntArray) -> FloatArray:
        """1 + log(count) (sublinear TF), or the count."""
        if not self.sublinear_tf:
            return counts.astype(np.float64)
        values: FloatArray = np.log(counts, dtype=np.float64)
        values += 1.0
        return values

    def weigh(
        self, n_docs: int, groups: IntArray, counts: IntArray, idf: FloatArray | None
    ) -> FloatArray:
        """TF(-IDF) values, each block of each document scaled to unit L2 norm.
        ``idf`` holds the IDF of each pair's column.
        """
        values = self.term_weights(counts)
        if idf is not None:
            values *= idf
        norms = np.sqrt(np.bincount(groups, weights=values * values, minlength=N_BLOCKS * n_docs))
        np.maximum(norms, 1e-300, out=norms)
        values /= norms[groups]
        return values

    def encode_views(self, views: Sequence[Views]) -> Encoded:
        n_docs = len(views)
        if n_docs == 0:
            empty = np.zeros(0, dtype=np.intp)
            return Encoded(0, empty, empty, empty, np.zeros(0), np.zeros((0, self.n_signals)))
        groups, cols, counts, signals = self.count(views)
        values = self.weigh(n_docs, groups, counts, self.idf[cols] if self.use_idf else None)
        rows = groups % n_docs if n_docs > 1 else np.zeros(groups.shape[0], dtype=np.intp)
        return Encoded(n_docs, groups, rows, cols, values, signals)

    def encode(self, docs: Sequence[Doc]) -> Encoded:
        return self.encode_views([self.views(doc) for doc in docs])

    # -- fitted state and the scikit-learn API ----------------------------------------
    # Only the hash columns seen in training get a matrix column: the linear model
    # then fits in seconds and stores kilobytes, not 2**n_bits coefficients. Unseen
    # n-grams still count towards each block's norm, exactly as in the full space.

    _CACHES = ("_idf", "_lookup")

    def __getstate__(self) -> dict[str, Any]:
        state = dict(super().__getstate__())
        for name in self._CACHES:
            state.pop(name, None)
        return state

    def column_idf(self) -> FloatArray:
        """scikit-learn's smoothed IDF of each seen column."""
        n_docs = self.n_fit_docs_
        result: FloatArray = np.log((1.0 + n_docs) / (1.0 + self.column_df_)) + 1.0
        return result

    def unseen_idf(self) -> float:
        """The IDF of a column never seen in training: the largest there is."""
        return math.log(1.0 + self.n_fit_docs_) + 1.0

    def full_idf(self) -> FloatArray:
        """IDF of every hash column."""
        idf = np.full(self.n_hashed, self.unseen_idf())
        idf[self.columns_] = self.column_idf()
        return idf

    @property
    def idf(self) -> FloatArray:
        cached: FloatArray | None = self.__dict__.get("_idf")
        if cached is None:
            cached = self._idf = self.full_idf()
        return cached

    @property
    def lookup(self) -> IntArray:
        """Matrix column of each hash column, -1 where unseen in training."""
        cached: IntArray | None = self.__dict__.get("_lookup")
        if cached is None:
            cached = np.full(self.n_hashed, -1, dtype=np.intp)
            cached[self.columns_] = np.arange(self.columns_.shape[0])
            self._lookup = cached
        return cached

    def fit(self, X: Sequence[Doc], y: Any = None) -> CommentFeaturizer:
        for name in self._CACHES:
            self.__dict__.pop(name, None)
        _groups, cols, _counts, _signals = self.count([self.views(doc) for doc in X])
        seen = np.bincount(cols, minlength=self.n_hashed)
        # 32-bit: half the artifact, and less to read when a worker loads it.
        self.columns_ = np.flatnonzero(seen).astype(np.int32)
        self.column_df_ = seen[self.columns_].astype(np.int32)
        self.n_fit_docs_ = len(X)
        self.n_features_out_ = self.columns_.shape[0] + self.n_signals
        return self

    def transform(self, X: Sequence[Doc]) -> sp.csr_matrix:
        encoded = self.encode(X)
        n_docs, n_signals = encoded.n_docs, self.n_signals
        n_columns = self.columns_.shape[0]
        mapped = self.lookup[encoded.cols]
        kept = mapped >= 0
        rows = np.concatenate([encoded.rows[kept], np.repeat(np.arange(n_docs), n_signals)])
        cols = np.concatenate([mapped[kept], np.tile(np.arange(n_signals) + n_columns, n_docs)])
        values = np.concatenate([encoded.values[kept], encoded.signals.ravel()])
        matrix = sp.csr_matrix(
            (values, (rows, cols)), shape=(n_docs, n_columns + n_signals), dtype=np.float64
        )
        matrix.eliminate_zeros()
        return matrix
