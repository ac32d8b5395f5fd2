"""The word-list matcher on its own: whole words, however they are written; expressions
checked before they are saved and always run with a time limit."""

import time

import pytest

from moderation.classifier.terms import Term, TermError, TermMatcher, check_term

MORON = Term("moron", "suspect")
ASS = Term("ass", "banned")


def _matched(matcher: TermMatcher, text: str) -> list[tuple[str, str]]:
    return [(match.term.pattern, match.matched) for match in matcher.find(text).found]


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("moron", "moron"),
        ("MORON", "MORON"),
        ("M0R0N", "M0R0N"),  # digits for letters
        ("m o r o n", "m o r o n"),  # spaced out
        ("m.0.r.0.n", "m.0.r.0.n"),
        ("mooorrrooon", "mooorrrooon"),  # letters repeated
        ("m\u043er\u043en", "m\u043er\u043en"),  # Cyrillic о in a Latin word
        ("m\u00f3r\u00f3n", "m\u00f3r\u00f3n"),  # accents
        ("mo\u200bron", "moron"),  # an invisible character inside
    ],
)
def test_a_term_matches_however_it_is_written(written, shown):
    found = _matched(TermMatcher([MORON]), f"Whoever planned this is a {written}, frankly.")
    assert found == [("moron", shown)]


@pytest.mark.parametrize("text", ["A class assessment.", "Pass the assets.", "It was, as ever."])
def test_a_term_matches_whole_words_only(text):
    assert _matched(TermMatcher([ASS]), text) == []


def test_symbols_for_letters_still_make_a_whole_word():
    matcher = TermMatcher([ASS])
    assert _matched(matcher, "What an @ss.") == [("ass", "@ss")]
    assert _matched(matcher, "What an a$$!") == [("ass", "a$$")]
    assert _matched(matcher, "a$$essment") == []


def test_punctuation_without_a_space_does_not_hide_a_word():
    matcher = TermMatcher(
        [Term("stupid", "suspect"), Term("жопа", "banned"), Term("idiot", "suspect")]
    )
    assert _matched(matcher, "So stupid!really.") == [("stupid", "stupid")]
    assert _matched(matcher, "ленивая жопа!решила") == [("жопа", "жопа")]
    assert _matched(matcher, "What an id!ot.") == [("idiot", "id!ot")]


def test_ukrainian_and_russian_terms_match_across_case():
    matcher = TermMatcher([Term("дурень", "suspect"), Term("идиот", "banned")])
    assert _matched(matcher, "Ти ДУРЕНЬ.") == [("дурень", "ДУРЕНЬ")]
    assert _matched(matcher, "Ну и Идиот же") == [("идиот", "Идиот")]
    # A Latin o among the Cyrillic letters, and a digit for one.
    assert _matched(matcher, "ид\u0438oт и ид1от") == [("идиот", "идиoт")]


def test_a_phrase_matches_its_words_in_order():
    matcher = TermMatcher([Term("go to hell", "banned")])
    assert _matched(matcher, "Just GO  to   h3ll.") == [("go to hell", "GO to h3ll")]
    assert _matched(matcher, "Go to the hell.") == []


def test_a_one_can_be_an_i_or_an_l():
    matcher = TermMatcher([Term("kill", "suspect"), Term("shit", "banned")])
    assert _matched(matcher, "ki11 them") == [("kill", "ki11")]
    assert _matched(matcher, "$h1t happens") == [("shit", "$h1t")]


def test_an_expression_matches_whole_words_in_lower_case():
    matcher = TermMatcher([Term(r"buy\s+(cheap\s+)?pills", "suspect", is_regex=True)])
    assert _matched(matcher, "BUY Cheap   PILLS now") == [
        (r"buy\s+(cheap\s+)?pills", "buy cheap pills")
    ]
    assert _matched(matcher, "rebuy pills") == []


def test_each_term_is_reported_once():
    matcher = TermMatcher([MORON, ASS])
    assert _matched(matcher, "moron, ass, moron") == [("moron", "moron"), ("ass", "ass")]


def test_letters_spaced_out_cost_little_however_many():
    matcher = TermMatcher([MORON])
    start = time.perf_counter()
    assert _matched(matcher, "a " * 2500) == []
    assert time.perf_counter() - start < 1.0


def test_the_cost_does_not_grow_with_the_number_of_words():
    few = TermMatcher([MORON])
    many = TermMatcher([MORON, *(Term(f"word{n}x", "suspect") for n in range(5000))])
    text = "A long and ordinary comment about the bridge and its repairs, moron. " * 20

    def seconds(matcher: TermMatcher) -> float:
        start = time.perf_counter()
        for _ in range(20):
            matcher.find(text)
        return time.perf_counter() - start

    assert _matched(many, text) == [("moron", "moron")]
    assert seconds(many) < 3 * seconds(few) + 0.01


def test_an_expression_that_runs_out_of_time_is_reported_not_raised():
    # As a term saved before the check (or by hand) would be.
    slow = Term(r"(a+)+$", "banned", is_regex=True)
    matcher = TermMatcher([MORON, slow], timeout=0.01)
    start = time.perf_counter()
    matches = matcher.find("moron " + "a" * 5000 + "!")
    assert time.perf_counter() - start < 1.0
    assert matches.timed_out == (slow,)
    assert [match.term for match in matches.found] == [MORON]


def test_a_term_that_cannot_be_compiled_is_left_out_with_the_reason():
    matcher = TermMatcher([MORON, Term("(unclosed", "banned", is_regex=True)])
    assert [(term.pattern, "regular expression" in why) for term, why in matcher.refused] == [
        ("(unclosed", True)
    ]
    assert _matched(matcher, "moron") == [("moron", "moron")]


@pytest.mark.parametrize(
    ("pattern", "is_regex", "message"),
    [
        ("", False, "Enter a word"),
        ("   ", True, "Enter a word"),
        ("!!!", False, "at least one letter or digit"),
        ("(unclosed", True, "Not a valid regular expression: missing ) at position 9"),
        ("a*", True, "matches an empty text"),
        ("(a+)+$", True, "takes too long"),
        (r"(\w+\s?)+$", True, "takes too long"),
        ("(x+x+)+y", True, "takes too long"),
    ],
)
def test_a_term_that_cannot_work_is_refused_with_a_reason(pattern, is_regex, message):
    with pytest.raises(TermError, match=message.replace("(", r"\(").replace(")", r"\)")):
        check_term(pattern, is_regex=is_regex)


def test_a_good_term_is_kept_trimmed():
    assert check_term("  go   to hell ", is_regex=False) == "go to hell"
    assert check_term(r" buy\s+now ", is_regex=True) == r"buy\s+now"
    assert check_term(r"\d{3}-\d{4}", is_regex=True) == r"\d{3}-\d{4}"
