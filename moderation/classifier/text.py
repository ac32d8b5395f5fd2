"""Text cleaning shared by training, serving and the benchmark's baseline."""

from __future__ import annotations

import html
import re
import unicodedata
from typing import NamedTuple

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
    # Most texts use one alphabet; the search for mixed words costs far more than
    # looking for a letter of each.
    if not (_CYRILLIC.search(lowered) and _LATIN.search(lowered)):
        return lowered, 0
    return _MIXED_WORD.subn(_fold_word, lowered)


def duplicate_key(text: str) -> str:
    """What copies of one comment share: its normalised text in lower case. Training
    keeps copies in one cross-validation fold, and the held-out split on one side.
    """
    return normalise_text(text).lower()


# --- words as the word lists see them ---------------------------------------------
# Word lists match whole words, however they are written: in any case, with or without
# accents, with look-alike letters of the other alphabet, with digits and symbols for
# letters ("m0r0n", "$h1t", "@ss"), with letters spaced out ("m o r o n"). Both the
# terms and the comments go through these steps, so both sides fold the same way.

_COMBINING_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
# A word is a run of letters, digits and $ ("$hit", "a$$", "$100"). Where @ ! | + stand
# inside one, the run with them is another reading of that stretch ("@ss", "id!ot"),
# tried against one-word terms only: as punctuation they split words ("stupid!really",
# "@name"). At either end of a run, ! | + are punctuation ("idiot!", "+1").
_WORD_RUN = re.compile(r"(?:[^\W_]|\$)+")
_SYMBOL_RUN = re.compile(r"(?:[^\W_]|[@$|!+])+")
_EDGE_SYMBOLS = "!|+"
_SYMBOLS = frozenset("@|!+")
_LEET_SYMBOLS = frozenset("0134578@$!|+")
# "1", "!" and "|" stand for i as often as for l: a word with them has both readings.
_LEET_I = str.maketrans("0134578@$!|+", "oieastbasiit")
_LEET_L = str.maketrans("0134578@$!|+", "oleastbasllt")
# Letters spaced out: at least this many one-character words in a row, each at most
# _SPACED_GAP characters from the next ("m o r o n", "m.o.r.o.n", "m-0-r-0-n").
_SPACED_RUN = 3
_SPACED_GAP = 3
# A word spelled out is at most this long, and a text has at most this many of them:
# "a b c d ..." for 5,000 characters must not cost more than an ordinary comment.
_SPACED_LONGEST = 24
_SPACED_MOST = 500


class TermWord(NamedTuple):
    """A word of a text as the word lists see it: its readings (one, or two where a
    symbol may be i or l) and where it stands in the normalised text."""

    forms: tuple[str, ...]
    start: int
    end: int


class TermText(NamedTuple):
    normalised: str  # normalise_text() of the comment: what spans point into
    folded: str  # in lower case, accents and look-alikes folded: what expressions see
    words: list[TermWord]
    # Other readings of a stretch, for one-word terms: letters spaced out and joined,
    # words with symbols for letters.
    joined: list[TermWord]


def fold_diacritics(text: str) -> str:
    """The text without accents: "café" is "cafe", "ёлка" is "елка"."""
    if text.isascii():
        return text
    stripped = _COMBINING_MARKS.sub("", unicodedata.normalize("NFD", text))
    return unicodedata.normalize("NFC", stripped)


def fold_for_terms(text: str) -> str:
    """A normalised text in lower case, accents removed, mixed-script words folded."""
    return fold_mixed_script(fold_diacritics(text.casefold()))[0]


def _readings(folded: str) -> tuple[str, ...]:
    """The readings of one word already through fold_for_terms."""
    if folded.isalpha():
        return (folded,)
    if not any(map(str.isalpha, folded)):
        # A number: "$100" is 100.
        return (folded.strip("@$"),)
    if not _LEET_SYMBOLS.intersection(folded):
        return (folded,)
    as_i = fold_mixed_script(folded.translate(_LEET_I))[0]
    as_l = fold_mixed_script(folded.translate(_LEET_L))[0]
    return (as_i,) if as_i == as_l else (as_i, as_l)


def _spaced_out(text: str, words: list[TermWord]) -> list[TermWord]:
    """Every stretch of 3+ letters spaced out, joined: "is a m o r o n" gives "amoron",
    "moron" and the rest, since a one-letter word may stand just before or after."""
    joined: list[TermWord] = []
    run: list[TermWord] = []
    for word in [*words, TermWord(("",), len(text) + _SPACED_GAP + 1, 0)]:
        single = word.end - word.start == 1
        if single and run and word.start - run[-1].end <= _SPACED_GAP:
            run.append(word)
            continue
        for first in range(len(run) - _SPACED_RUN + 1):
            for last in range(first + _SPACED_RUN - 1, min(len(run), first + _SPACED_LONGEST)):
                if len(joined) == _SPACED_MOST:
                    return joined
                letters = "".join(text[w.start] for w in run[first : last + 1])
                joined.append(
                    TermWord(_readings(fold_for_terms(letters)), run[first].start, run[last].end)
                )
        run = [word] if single else []
    return joined


def _words(pattern: re.Pattern[str], source: str, whole: bool) -> list[TermWord]:
    words = []
    for match in pattern.finditer(source):
        start, end = match.span()
        word = match.group()
        if not word.isalnum():
            stripped = word.lstrip(_EDGE_SYMBOLS)
            start += len(word) - len(stripped)
            word = stripped.rstrip(_EDGE_SYMBOLS)
            end = start + len(word)
        readings = _readings(word if whole else fold_for_terms(word))
        if readings[0]:
            words.append(TermWord(readings, start, end))
    return words


def term_text(text: str) -> TermText:
    """A comment's words as the word lists see them (see TermWord)."""
    normalised = normalise_text(text)
    folded = fold_for_terms(normalised)
    # Folding the whole text at once is the cheap way; where it changed the length
    # ("ß" is "ss"), the spans would not point into the normalised text, so each word
    # is folded on its own.
    whole = len(folded) == len(normalised)
    source = folded if whole else normalised
    words = _words(_WORD_RUN, source, whole)
    joined = _spaced_out(normalised, words)
    if not _SYMBOLS.isdisjoint(source):
        spans = {(word.start, word.end) for word in words}
        joined += [
            word
            for word in _words(_SYMBOL_RUN, source, whole)
            if (word.start, word.end) not in spans
        ]
    return TermText(normalised, folded, words, joined)
