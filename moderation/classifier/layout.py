"""The feature layout: what each column of a fitted model means.

A model's coefficients are tied to the columns the featurizer produced when it was
trained. Each artifact records its layout; a model whose layout differs from the
running code's is refused at load rather than scoring with misread columns. Plain
Python (no numpy, no scikit-learn): the web process asks it for readiness.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# Raise when the meaning of a column changes without a name changing: the hashing
# scheme (hashing.py), n-gram extraction, the order of blocks.
LAYOUT_VERSION = 1

# Editor-facing names of the dense signal columns, in column order.
LENGTH_BINS = (15, 50, 150, 500)
SIGNAL_LABELS: tuple[str, ...] = (
    "many links",
    "ALL CAPS",
    "exclamation marks",
    "e-mail address or @handle",
    "money symbol",
    "mixed alphabets in a word",
    "repeated characters",
    "long number",
    # Length bands; the middle one (50-150 characters) has no column, so that the
    # bands do not duplicate the intercept, which slows the solver badly.
    "very short text",
    "short text",
    "long text",
    "very long text",
)

LENGTH_SIGNALS = ("very short text", "short text", "long text", "very long text")

# The keys that the code alone decides; the rest (hash bits, n-gram sizes) are the
# featurizer's parameters, stored with it.
CODE_KEYS = ("version", "signals", "length_bins")


def code_layout() -> dict[str, Any]:
    """The parts of the layout the running code fixes, whatever the parameters."""
    return {
        "version": LAYOUT_VERSION,
        "signals": list(SIGNAL_LABELS),
        "length_bins": list(LENGTH_BINS),
    }


def layout_mismatch(stored: Mapping[str, Any] | None, expected: Mapping[str, Any]) -> str | None:
    """None when ``stored`` has every key of ``expected`` with the same value; otherwise
    which keys differ ("differs in signals, version"). The layouts themselves are
    long: whoever reports the refusal shows them.
    """
    if not stored:
        return "no layout recorded"
    keys = [key for key, value in expected.items() if _plain(stored.get(key)) != _plain(value)]
    return f"differs in {', '.join(keys)}" if keys else None


def code_mismatch(stored: Mapping[str, Any] | None) -> str | None:
    """How a recorded layout differs from what this code computes, or None."""
    expected = code_layout()
    if stored and not stored.get("signals"):
        # Trained without signal columns: their names do not matter.
        expected["signals"] = []
    return layout_mismatch(stored, expected)


def _plain(value: Any) -> Any:
    """JSON's view of a value: tuples are lists."""
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    return value
