"""The held-out split: each text's side follows from its own content, not a shuffle.

A text is held out when the sha256 of its duplicate key falls in the lowest
``share`` of the hash range. Adding data never moves a text from one side to the
other, so the active model, trained on an earlier training side, has never seen the
held-out texts it is measured on; and copies of one comment always share a side.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from moderation.classifier.text import duplicate_key

_HASH_RANGE = 1 << 64


def hash_position(key: str) -> float:
    """Where a key falls in [0, 1): the first 8 bytes of its sha256."""
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).digest()
    return int.from_bytes(digest[:8], "big") / _HASH_RANGE


def held_out_flags(texts: Sequence[str], labels: Sequence[int], share: float) -> list[bool]:
    """For each example, whether it is held out.

    Besides the texts whose hash falls below ``share``, the text of each class with the
    lowest hash is always held out, so that a small set still measures both classes.
    """
    if len(texts) != len(labels):
        raise ValueError(f"{len(texts)} texts but {len(labels)} labels")
    positions = [hash_position(duplicate_key(text)) for text in texts]
    held_keys = {position for position in positions if position < share}
    for label in set(labels):
        held_keys.add(min(p for p, y in zip(positions, labels, strict=True) if y == label))
    return [position in held_keys for position in positions]
