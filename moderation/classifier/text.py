"""Text cleaning shared by training, serving and the benchmark's baseline."""

from __future__ import annotations

import html
import re
import unicodedata

# Zero-width and bidi controls hide nothing from a reader but split words for a model,
# which is why spammers insert them.
_INVISIBLE = re.compile("[\u00ad\u034f\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SPACE_RUN = re.compile(r"\s+")
_DOUBLE_SPACE = re.compile(r"  +")
# Scraped text keeps spaces where markup stood ("word , word", "( word"); reader
# comments rarely do, so a model must not learn from them.
_SPACE_BEFORE_PUNCT = re.compile(r" (?=[.,;:!?%)\]}»”…])")
_SPACE_AFTER_OPEN = re.compile(r"(?<=[(\[{«“]) ")
_OPENERS = ("( ", "[ ", "{ ", "« ", "“ ")

_LATIN = re.compile("[a-z]")
_CYRILLIC = re.compile("[\u0430-\u045f\u0491]")
_MIXED_WORD = re.compile("\\w*(?:[a-z][\u0430-\u045f\u0491]|[\u0430-\u045f\u0491][a-z])\\w*")
# Letters that look alike in the two alphabets, lower case only (text is lowered first).
_CYRILLIC_TO_LATIN = str.maketrans("аеіјорсухѕԁԛԝ", "aeijopcyxsdqw")
_LATIN_TO_CYRILLIC = str.maketrans("aeiopcyx", "аеіорсух")


def normalise_text(text: str) -> str:
    """Canonical form of a comment: HTML entities decoded, NFKC, no invisible or
    control characters, single spaces, no space before closing punctuation or after
    an opening bracket, stripped.

    Case is kept (capitals are a signal). Accepts anything: bytes are decoded as
    UTF-8 with replacement, None becomes "".
    """
    if not isinstance(text, str):
        if isinstance(text, bytes | bytearray):
            text = bytes(text).decode("utf-8", errors="replace")
        else:
            text = "" if text is None else str(text)
    # The checks below skip work that most comments do not need: scoring one text
    # must stay well under a millisecond.
    if "&" in text:
        # Entities are how some sources store plain characters ("I&#39;ll").
        text = html.unescape(text)
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
        text = _INVISIBLE.sub("", text)
    if not text.isprintable():
        text = _SPACE_RUN.sub(" ", _CONTROL.sub(" ", text))
    elif "  " in text:
        text = _DOUBLE_SPACE.sub(" ", text)
    text = _SPACE_BEFORE_PUNCT.sub("", text.strip())
    if any(opener in text for opener in _OPENERS):
        text = _SPACE_AFTER_OPEN.sub("", text)
    return text


def _fold_word(match: re.Match[str]) -> str:
    word = match.group(0)
    latin = len(_LATIN.findall(word))
    cyrillic = len(_CYRILLIC.findall(word))
    if latin >= cyrillic:
        return word.translate(_CYRILLIC_TO_LATIN)
    return word.translate(_LATIN_TO_CYRILLIC)


def fold_mixed_script(lowered: str) -> tuple[str, int]:
    """Rewrite words that mix Latin and Cyrillic letters ("cаsinо" with Cyrillic а, о)
    into their majority alphabet; return the text and how many words were mixed.
    """
    if lowered.isascii():
        return lowered, 0
    return _MIXED_WORD.subn(_fold_word, lowered)


def duplicate_key(text: str) -> str:
    """What copies of one comment share: its normalised text in lower case. Training
    keeps copies in one cross-validation fold, and the held-out split on one side.
    """
    return normalise_text(text).lower()
