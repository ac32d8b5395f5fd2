"""Word lists: banned and suspect terms compiled into one matcher. No ORM here.

A plain term (a word or a phrase) matches whole words however they are written (see
term_text in moderation.classifier.text: case, accents, look-alike letters, digits and
symbols for letters, spaced-out letters), and with letters repeated ("mooorron"). It is
found by looking each word of the comment up in a table of the terms' words, with their
repeated letters squeezed out, so the cost per comment does not grow with the number of
terms. A regular expression runs (with the `regex` module, always with a time limit)
on the comment in lower case with accents and look-alikes folded, and must match whole
words too. check_term is what an editor's term must pass before it is saved.
"""

from __future__ import annotations

import itertools
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import regex

from moderation.classifier.text import TermText, TermWord, fold_diacritics, term_text

Kind = Literal["banned", "suspect"]

# All the expressions of a list together get this long on one comment; what they have
# not finished by then counts as a hold ("word list timed out"), never a stalled worker.
MATCH_TIMEOUT = 0.05
# At save, each adversarial probe gets this long (the regex module's clock lets a search
# run up to about three times its limit on a busy machine; a safe expression takes well
# under a millisecond).
PROBE_TIMEOUT = 0.05
# The longest comment there is (COMMENT_BODY_MAX_LENGTH): the probes are that long.
PROBE_LENGTH = 5000
_PROBE_ENDS = ("!", "\x00")
_PROBE_CHARACTERS = "a1 .-\u0430"

_DOUBLED = re.compile(r"(.)\1")
# Runs of one letter: () when there are none (every run 1 long).
Runs = tuple[int, ...]


class TermError(ValueError):
    """A term that cannot go on a list; the message is for the editor."""


@dataclass(frozen=True)
class Term:
    pattern: str
    kind: Kind
    is_regex: bool = False
    list_name: str = ""  # a section's list: its name; the site's: ""


@dataclass(frozen=True)
class TermMatch:
    term: Term
    matched: str  # as the comment wrote it (an expression's: as it saw it)


@dataclass(frozen=True)
class Matches:
    found: tuple[TermMatch, ...]
    # Expressions not finished within MATCH_TIMEOUT: the comment is not known clean.
    timed_out: tuple[Term, ...]


def _squeeze(word: str) -> tuple[str, Runs]:
    """A word with each run of one letter written once, and the runs' lengths."""
    if not _DOUBLED.search(word):
        return word, ()
    letters, runs = [], []
    for letter, run in itertools.groupby(word):
        letters.append(letter)
        runs.append(len(list(run)))
    return "".join(letters), tuple(runs)


def _covers(written: Runs, term: Runs) -> bool:
    """Whether a word written with these runs repeats each letter at least as often as
    the term does ("asss" is "ass", "as" is not)."""
    if not term:
        return True
    if not written:
        return False
    return all(w >= t for w, t in zip(written, term, strict=True))


def _wrap(pattern: str) -> str:
    # Whole words, like the plain terms: a banned "ass" must not catch "class".
    return rf"(?<!\w)(?:{fold_diacritics(pattern)})(?!\w)"


def _compile(pattern: str) -> regex.Pattern[str]:
    return regex.compile(_wrap(pattern), regex.IGNORECASE | regex.VERSION0)


def _readings(words: list[TermWord]) -> list[tuple[tuple[str, Runs], ...]]:
    return [tuple(_squeeze(form) for form in word.forms) for word in words]


def _term_words(pattern: str) -> list[tuple[tuple[str, Runs], ...]]:
    seen = term_text(pattern)
    words = seen.words
    # A term written spaced out ("m o r o n") or with symbols ("@ss") is the one word it
    # spells, when that reading covers the whole term.
    if seen.joined:
        widest = max(seen.joined, key=lambda word: word.end - word.start)
        if not words or (widest.start <= words[0].start and widest.end >= words[-1].end):
            words = [widest]
    return _readings(words)


def check_term(pattern: str, *, is_regex: bool) -> str:
    """The pattern as it will be stored (trimmed; a phrase single-spaced), or TermError
    saying what is wrong: empty, no letter or digit, not a valid expression, one that
    matches an empty text, or one that takes too long on some text (catastrophic
    backtracking, probed with long runs of the characters it names)."""
    cleaned = pattern.strip() if is_regex else " ".join(pattern.split())
    if not cleaned:
        raise TermError("Enter a word, a phrase or a regular expression.")
    if not is_regex:
        if not term_text(cleaned).words:
            raise TermError("A term needs at least one letter or digit.")
        return cleaned
    try:
        regex.compile(cleaned)  # its own positions in the error, not the wrapped one's
        compiled = _compile(cleaned)
    except regex.error as error:
        raise TermError(f"Not a valid regular expression: {error}.") from None
    if compiled.search("", timeout=PROBE_TIMEOUT) or compiled.search(" ", timeout=PROBE_TIMEOUT):
        raise TermError("This expression matches an empty text, so it would catch every comment.")
    for probe in _probes(cleaned):
        try:
            compiled.search(probe, timeout=PROBE_TIMEOUT)
        except TimeoutError:
            raise TermError(
                "This expression takes too long on some texts (a repetition inside a "
                "repetition, such as (a+)+, tries every way to split a long run). "
                "Rewrite it without the nested repetition."
            ) from None
    return cleaned


def _probes(pattern: str) -> Iterable[str]:
    """Long runs of each character the pattern names (and a few any text has), and of
    pairs of them, each ended by a character that makes the match fail late."""
    named = [c for c in dict.fromkeys(fold_diacritics(pattern).casefold()) if c.isalnum()]
    singles = list(dict.fromkeys([*named, *_PROBE_CHARACTERS]))
    pairs = [a + b for a, b in itertools.combinations([*named[:5], " "], 2)]
    for unit in [*singles, *pairs]:
        body = unit * (PROBE_LENGTH // len(unit))
        for end in _PROBE_ENDS:
            yield body + end


@dataclass(frozen=True)
class _Entry:
    term: Term
    words: tuple[tuple[tuple[str, Runs], ...], ...]


class TermMatcher:
    """Every term of one list (a site's, or a section's), compiled once."""

    def __init__(self, terms: Iterable[Term], *, timeout: float = MATCH_TIMEOUT) -> None:
        self.terms = list(terms)
        self.timeout = timeout
        # By the first word's squeezed reading: the entries, and that reading's runs.
        self._by_first_word: dict[str, list[tuple[_Entry, Runs]]] = {}
        self._expressions: list[tuple[Term, regex.Pattern[str]]] = []
        # Terms that cannot be used (saved before a check, or by hand): left out, with why.
        self.refused: list[tuple[Term, str]] = []
        for term in self.terms:
            if term.is_regex:
                try:
                    self._expressions.append((term, _compile(term.pattern)))
                except regex.error as error:
                    self.refused.append((term, f"not a valid regular expression: {error}"))
                continue
            words = _term_words(term.pattern)
            if not words:
                self.refused.append((term, "no letter or digit"))
                continue
            entry = _Entry(term, tuple(words))
            for key, runs in words[0]:
                self._by_first_word.setdefault(key, []).append((entry, runs))

    def __len__(self) -> int:
        return sum(map(len, self._by_first_word.values())) + len(self._expressions)

    def find(self, text: str) -> Matches:
        """The terms this text holds, each once: words and phrases in the order they
        appear, then the other readings (spaced out, symbols), then expressions."""
        seen = term_text(text)
        found: dict[Term, TermMatch] = {}
        if self._by_first_word:
            self._find_words(seen, found)
        timed_out: list[Term] = []
        if self._expressions:
            timed_out = self._find_expressions(seen.folded, found)
        return Matches(tuple(found.values()), tuple(timed_out))

    def _find_words(self, seen: TermText, found: dict[Term, TermMatch]) -> None:
        words = _readings(seen.words)
        for index, readings in enumerate(words):
            for key, runs in readings:
                for entry, first_runs in self._by_first_word.get(key, ()):
                    if entry.term in found or not _covers(runs, first_runs):
                        continue
                    last = index + len(entry.words) - 1
                    if last < len(words) and all(
                        _word_matches(words[index + offset], entry.words[offset])
                        for offset in range(1, len(entry.words))
                    ):
                        span = seen.normalised[seen.words[index].start : seen.words[last].end]
                        found[entry.term] = TermMatch(entry.term, span)
        # Letters spaced out, symbols for letters: other readings, for one-word terms.
        for word, readings in zip(seen.joined, _readings(seen.joined), strict=True):
            for key, runs in readings:
                for entry, first_runs in self._by_first_word.get(key, ()):
                    single = len(entry.words) == 1
                    if single and entry.term not in found and _covers(runs, first_runs):
                        found[entry.term] = TermMatch(
                            entry.term, seen.normalised[word.start : word.end]
                        )

    def _find_expressions(self, folded: str, found: dict[Term, TermMatch]) -> list[Term]:
        """Run every expression within one time budget; returns those not finished."""
        timed_out: list[Term] = []
        deadline = time.perf_counter() + self.timeout
        for term, compiled in self._expressions:
            left = deadline - time.perf_counter()
            if left <= 0:
                timed_out.append(term)
                continue
            try:
                match = compiled.search(folded, timeout=left)
            except TimeoutError:
                timed_out.append(term)
                continue
            if match is not None:
                found[term] = TermMatch(term, match.group())
        return timed_out


def _word_matches(
    written: tuple[tuple[str, Runs], ...], term: tuple[tuple[str, Runs], ...]
) -> bool:
    return any(
        key == term_key and _covers(runs, term_runs)
        for key, runs in written
        for term_key, term_runs in term
    )
