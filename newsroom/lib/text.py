"""Small helpers for reader-supplied text."""

import re

# Control characters other than tab and newline: PostgreSQL refuses NUL in text, and
# none of them belongs in a comment.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value: str) -> str:
    """Drop control characters, normalise newlines and trim surrounding white space."""
    return _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n")).strip()
