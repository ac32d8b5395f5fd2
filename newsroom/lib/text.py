"""Small helpers for reader-supplied text."""

import re

# Control characters other than tab and newline: PostgreSQL refuses NUL in text, and
# none of them belongs in a comment. With them, the bidirectional embeddings, overrides
# and isolates (U+202A–U+202E, U+2066–U+2069): one left open in a name or a comment
# reverses the text after it, on the page and in the desk. The marks (U+200E, U+200F)
# stay: they only nudge neutral characters and cannot flip anything.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


def clean_text(value: str) -> str:
    """Drop control characters, normalise newlines and trim surrounding white space."""
    return _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n")).strip()
