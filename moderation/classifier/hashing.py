"""Stable feature hashing, vectorised over a whole batch of texts.

Python's own ``hash()`` is salted per process, and scikit-learn's hashing
vectorisers build every n-gram as a Python string, which caps them at roughly
10-15k texts/s. Here a string's hash is a polynomial in its code points, read off
prefix sums over one buffer holding the whole batch, so all n-grams of all texts
are hashed by a few numpy operations on contiguous arrays. Arithmetic is modulo
2**64 (numpy's uint64 wrap-around); a multiply-shift then takes well-mixed high
bits as the final 32-bit hash, whose top bits index the feature space.

``hash_string`` and ``hash_pair`` are the slow, obviously correct references:
tests check the vectorised code against them, and explanations use them to name
features.
"""

from __future__ import annotations

import functools
import threading
from typing import Any

import numpy as np
import numpy.typing as npt

U64 = npt.NDArray[np.uint64]

_MASK64 = (1 << 64) - 1
_BASE = 0x9E3779B97F4A7C15
_BASE_INV = pow(_BASE, -1, 1 << 64)
_LENGTH_MULT = 0xD6E8FEB86659FD93
_NAMESPACE_MULT = 0xA0761D6478BD642F
_PAIR_MULT = 0xE7037ED1A0B428DB
_MIX_MULT = 0xFF51AFD7ED558CCD

# Namespaces keep a word, the same letters as a character n-gram and a metadata
# token in different columns.
NS_CHAR = 1
NS_WORD = 2
NS_PAIR = 3
NS_META = 4


def keyed_string(text: str) -> int:
    """Polynomial hash of a string's code points, keyed by its length."""
    value = 0
    power = 1
    for ch in text:
        value = (value + (ord(ch) + 1) * power) & _MASK64
        power = (power * _BASE) & _MASK64
    return (value + len(text) * _LENGTH_MULT) & _MASK64


def finish_one(keyed: int, namespace: int) -> int:
    return (((keyed + namespace * _NAMESPACE_MULT) * _MIX_MULT) & _MASK64) >> 32


def column(hash32: int, n_bits: int) -> int:
    """The feature column of a 32-bit hash: its top ``n_bits`` bits."""
    return hash32 >> (32 - n_bits)


def hash_string(text: str, namespace: int) -> int:
    """Reference 32-bit hash of one feature string (an n-gram, a word, a token)."""
    return finish_one(keyed_string(text), namespace)


def hash_pair(first: str, second: str) -> int:
    """Reference 32-bit hash of a word bigram."""
    keyed = (keyed_string(first) * _PAIR_MULT + keyed_string(second)) & _MASK64
    return finish_one(keyed, NS_PAIR)


def namespace_key(namespace: int) -> np.uint64:
    return np.uint64((namespace * _NAMESPACE_MULT) & _MASK64)


def columns(keyed: U64, n_bits: int) -> U64:
    """Vectorised ``column(finish_one(...))``, in place, for keyed hashes to which
    their ``namespace_key`` has been added.
    """
    keyed *= np.uint64(_MIX_MULT)
    keyed >>= np.uint64(64 - n_bits)
    return keyed


def length_key(length: int) -> np.uint64:
    return np.uint64((length * _LENGTH_MULT) & _MASK64)


def pair_keys(first: U64, second: U64) -> U64:
    """Keyed hashes of word bigrams from the keyed hashes of their two words."""
    combined = first * np.uint64(_PAIR_MULT)
    combined += second
    return combined


class _Powers:
    """BASE**i and BASE**-i modulo 2**64, grown on demand and shared."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.forward, self.inverse = self._build(1 << 14)

    @staticmethod
    def _build(size: int) -> tuple[U64, U64]:
        forward = np.full(size, _BASE, dtype=np.uint64)
        forward[0] = 1
        inverse = np.full(size, _BASE_INV, dtype=np.uint64)
        inverse[0] = 1
        return np.cumprod(forward, dtype=np.uint64), np.cumprod(inverse, dtype=np.uint64)

    def get(self, size: int) -> tuple[U64, U64]:
        forward, inverse = self.forward, self.inverse
        if forward.shape[0] >= size:
            return forward, inverse
        with self._lock:
            if self.forward.shape[0] < size:
                self.forward, self.inverse = self._build(max(size, 2 * self.forward.shape[0]))
            return self.forward, self.inverse


_POWERS = _Powers()


class PrefixHasher:
    """Hashes substrings of one buffer in O(1) each after an O(n) prefix sum."""

    def __init__(self, codes: npt.NDArray[np.uint32]) -> None:
        size = codes.shape[0]
        forward, inverse = _POWERS.get(size + 1)
        prefix = np.empty(size + 1, dtype=np.uint64)
        prefix[0] = 0
        weighted = np.add(codes, np.uint64(1), dtype=np.uint64)
        weighted *= forward[:size]
        np.cumsum(weighted, dtype=np.uint64, out=prefix[1:])
        self.prefix = prefix
        self.inverse = inverse[:size]

    def keyed(self, starts: npt.NDArray[np.intp], ends: npt.NDArray[np.intp]) -> U64:
        """Keyed hashes of ``buffer[start:end]`` for arbitrary spans."""
        values = self.prefix[ends] - self.prefix[starts]
        values *= self.inverse[starts]
        lengths = ends - starts
        values += lengths.view(np.uint64) * np.uint64(_LENGTH_MULT)
        return values

    def all_windows(self, low: int, high: int) -> U64:
        """Keyed hashes of every window of length low..high, shape (start, length - low).

        Strided views and broadcasting only, no gathers: three numpy calls for all
        n-gram lengths, which matters when scoring one short text.
        """
        count = self.inverse.shape[0] - high
        spans = windows(self.prefix, count, high + 1)
        values = spans[:, low:] - spans[:, :1]
        values *= self.inverse[:count, None]
        values += _length_keys(low, high)
        return values


@functools.lru_cache(maxsize=16)
def _length_keys(low: int, high: int) -> U64:
    return np.array([length_key(length) for length in range(low, high + 1)], dtype=np.uint64)


def windows(values: npt.NDArray[Any], count: int, width: int) -> npt.NDArray[Any]:
    """View of ``values[i:i + width]`` for i < count, as a (count, width) array; its
    rows overlap, so never write to it.

    numpy's sliding_window_view does the same after checks that cost more than all
    the arithmetic on one comment's n-grams.
    """
    if values.ndim != 1 or not values.flags.c_contiguous or count + width - 1 > values.shape[0]:
        raise ValueError("windows() needs a contiguous 1-d array long enough for them")
    step = values.strides[0]
    view: npt.NDArray[Any] = np.ndarray((count, width), values.dtype, values, 0, (step, step))
    return view
