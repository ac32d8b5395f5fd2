"""The moderation policy on its own: what each score means, and what it refuses."""

import pytest

from moderation.policy import ModerationPolicy, PolicyError

POLICY = ModerationPolicy(spam_reject=0.9, spam_hold=0.5, spoiler_flag=0.6)


@pytest.mark.parametrize(
    ("spam", "premoderated", "status"),
    [
        (0.95, False, "spam"),
        (0.9, False, "spam"),
        (0.89, False, "pending"),
        (0.5, False, "pending"),
        (0.49, False, "approved"),
        (0.49, True, "pending"),
        (0.95, True, "spam"),
    ],
)
def test_its_verdict_follows_the_thresholds(spam, premoderated, status):
    verdict = POLICY.verdict(
        spam_score=spam, spoiler_score=0.0, author_spoiler_tag=False, premoderated=premoderated
    )
    assert verdict.status == status


@pytest.mark.parametrize(
    ("spoiler", "tagged", "is_spoiler"),
    [(0.6, False, True), (0.59, False, False), (0.0, True, True)],
)
def test_it_flags_spoilers_by_score_or_the_readers_tag(spoiler, tagged, is_spoiler):
    verdict = POLICY.verdict(
        spam_score=0.1, spoiler_score=spoiler, author_spoiler_tag=tagged, premoderated=False
    )
    assert verdict.is_spoiler is is_spoiler


@pytest.mark.parametrize(
    ("spam", "spoiler", "flagged"),
    [(0.5, 0.0, True), (0.49, 0.0, False), (0.1, 0.6, True), (0.1, 0.59, False)],
)
def test_it_flags_what_a_moderator_will_want_explained(spam, spoiler, flagged):
    assert POLICY.is_flagged(spam, spoiler) is flagged


@pytest.mark.parametrize(
    ("spam", "expected"), [(0.5, 1.0), (0.0, 0.0), (1.0, 0.0), (0.25, 0.5), (0.75, 0.5)]
)
def test_uncertainty_peaks_on_the_hold_threshold(spam, expected):
    assert POLICY.uncertainty(spam) == pytest.approx(expected)


def test_it_draws_bands_from_the_thresholds():
    assert [POLICY.spam_band(s) for s in (0.1, 0.5, 0.89, 0.9)] == ["low", "held", "held", "high"]
    assert [POLICY.spoiler_band(s) for s in (0.59, 0.6)] == ["low", "high"]
    assert POLICY.spam_bands() == {"low": (None, 0.5), "held": (0.5, 0.9), "high": (0.9, None)}
    assert POLICY.spoiler_bands() == {"low": (None, 0.6), "high": (0.6, None)}


def test_an_overlay_replaces_only_what_it_names():
    section = POLICY.overlay(spam_hold=0.3)
    assert section == ModerationPolicy(spam_reject=0.9, spam_hold=0.3, spoiler_flag=0.6)
    assert POLICY.spam_hold == 0.5


@pytest.mark.parametrize(
    "values",
    [
        {"spam_reject": 0.5, "spam_hold": 0.6, "spoiler_flag": 0.5},
        {"spam_reject": 1.2, "spam_hold": 0.5, "spoiler_flag": 0.5},
        {"spam_reject": 0.9, "spam_hold": -0.1, "spoiler_flag": 0.5},
        {"spam_reject": 0.9, "spam_hold": 0.5, "spoiler_flag": float("nan")},
    ],
)
def test_it_refuses_thresholds_that_cannot_work(values):
    with pytest.raises(PolicyError):
        ModerationPolicy(**values)


def test_an_overlay_is_checked_too():
    with pytest.raises(PolicyError, match="spam_hold"):
        POLICY.overlay(spam_hold=0.95)
