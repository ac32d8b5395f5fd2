"""Spoiler cues that carry from one site to another, in English, Ukrainian and Russian.

N-grams learn one site's phrasing; what makes a spoiler anywhere is what it tells:
how the story ends, who dies or wins, the twist, told as plot narration rather than
as the reader's own opinion or a question about what comes next. Each cue is one
signal column with a name an editor can read ("says how the story ends").

Values are bounded (log of a count, or a share of the words) so that a long comment
is not a spoiler merely for being long: a model trained on single sentences must
still read a five-paragraph comment sensibly.
"""

from __future__ import annotations

import math
import re

# Stems for Ukrainian and Russian: one pattern per cue covers the inflected forms.
_ENDING = re.compile(
    r"\b(?:the end(?:ing)?|in the end|at the end|ends with|ended with|ending|finale|"
    r"final (?:episode|scene|chapter|season)|last (?:episode|scene|chapter|page)|"
    r"post-credits?|epilogue|"
    r"в кінці|наприкінці|у фіналі|фінал\w*|кінців\w*|закінч\w*|"
    r"в конце|под конец|в финале|финал\w*|концовк\w*|законч\w*|заканчива\w*)\b"
)
_REVEAL = re.compile(
    r"\b(?:dies|died|dying|death of|killed|kills|murdered|turns out|turned out|twist|"
    r"reveal(?:s|ed)?|revelation|is actually|was actually|secretly|betray\w*|"
    r"the killer|the murderer|survives|survived|"
    r"помира\w*|помер\w*|загин\w*|вбив\w*|вбит\w*|вбиває|виявля\w*|виявилос\w*|зрад\w*|"
    r"вбивц\w*|убийц\w*|умира\w*|умер\w*|погиб\w*|убива\w*|убил\w*|убит\w*|"
    r"оказыва\w*|оказал\w*|предал\w*|предат\w*|на самом деле|насправді)\b"
)
_OUTCOME = re.compile(
    r"\b(?:won|wins|beat|beats|lost to|loses|defeated|final score|winner|champion\w*|"
    r"eliminated|knocked out|виграл\w*|переміг\w*|перемогл\w*|програл\w*|вилетіл\w*|"
    r"вилеті\w*|рахунок|переможц\w*|выиграл\w*|победил\w*|проиграл\w*|вылетел\w*|"
    r"счет|счёт|победител\w*)\b"
)
_LOOKING_AHEAD = re.compile(
    r"\b(?:can'?t wait|next (?:season|episode|week|part)|will there|hope|trailer|"
    r"release date|чекаю|не можу дочекатис\w*|наступн\w* сезон\w*|сподіваюс\w*|"
    r"жду|не могу дождат\w*|следующ\w* сезон\w*|надеюсь)\b"
)
# Pronouns by language (English, Ukrainian, Russian).
_THIRD_PERSON = frozenset(
    {
        *("he", "she", "they", "him", "his", "her", "hers", "them", "their", "himself"),
        *("herself", "він", "вона", "вони", "його", "її", "їх", "їм", "йому", "нею", "ним"),
        *("он", "она", "они", "его", "ее", "её", "их", "им", "ему", "ней"),
    }
)
_FIRST_PERSON = frozenset(
    {
        *("i", "i'm", "i've", "me", "my", "mine", "myself", "we", "us", "our", "imho"),
        *("я", "мені", "мене", "мій", "моя", "моє", "мої", "ми", "нам", "наш"),
        *("мне", "меня", "мой", "моё", "мои", "мы", "нас"),
    }
)
_WORD = re.compile(r"[\w']+")

CUE_LABELS: tuple[str, ...] = (
    "says how the story ends",
    "tells of a death, a twist or a secret",
    "gives a result or a winner",
    "plot told in the third person",
    "the reader's own opinion (first person)",
    "asks or looks ahead",
    "names characters",
)
# What each cue means, for editors reading the model page.
CUE_EXPLANATIONS: dict[str, str] = {
    "says how the story ends": (
        "Speaks of the ending, the finale, the last episode or scene "
        '("in the end", "у фіналі", "в конце").'
    ),
    "tells of a death, a twist or a secret": (
        'Someone dies or is killed, it "turns out", a twist or a betrayal '
        '("помирає", "виявляється", "оказывается").'
    ),
    "gives a result or a winner": (
        'Who won, lost or went out: match results and contest winners ("вилетіло", "выиграла").'
    ),
    "plot told in the third person": (
        'A large share of "he", "she", "they": the comment retells what characters do.'
    ),
    "the reader's own opinion (first person)": (
        '"I", "my", "я": the reader speaks of their own view, which rarely spoils. '
        "Lowers the score."
    ),
    "asks or looks ahead": (
        'Questions and "can\'t wait", "next season": about what is not out yet. Lowers the score.'
    ),
    "names characters": "Names of people and works in the middle of sentences.",
}
CUE_SETS = ("spoiler",)


def _log_count(pattern: re.Pattern[str], lowered: str) -> float:
    return math.log1p(len(pattern.findall(lowered)))


def _named(text: str) -> int:
    """Capitalised words that do not start a sentence: names of people and works."""
    named = 0
    previous = "."
    for word in text.split():
        if (
            word[:1].isupper()
            and previous[-1:] not in ".!?\"'«“:"
            and word.lower()
            not in (
                "i",
                "i'm",
                "i've",
            )
        ):
            named += 1
        previous = word
    return named


def spoiler_cues(text: str, lowered: str) -> list[float]:
    """The cue values of one cleaned text (``lowered`` is its lower-cased form),
    in the order of ``CUE_LABELS``.
    """
    words = _WORD.findall(lowered)
    n_words = max(len(words), 1)
    third = sum(word in _THIRD_PERSON for word in words)
    first = sum(word in _FIRST_PERSON for word in words)
    return [
        _log_count(_ENDING, lowered),
        _log_count(_REVEAL, lowered),
        _log_count(_OUTCOME, lowered),
        third / n_words,
        first / n_words,
        math.log1p(lowered.count("?") + len(_LOOKING_AHEAD.findall(lowered))),
        min(_named(text) / n_words, 1.0),
    ]


def cue_labels(name: str) -> tuple[str, ...]:
    if name == "spoiler":
        return CUE_LABELS
    if name:
        raise ValueError(f"unknown cue set {name!r}; expected one of {CUE_SETS}")
    return ()


def cue_values(name: str, text: str, lowered: str) -> list[float]:
    if name == "spoiler":
        return spoiler_cues(text, lowered)
    return []
