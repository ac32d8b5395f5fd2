"""The policy's abuse thresholds: hold and reject like spam's, per site and per section."""

import pytest

from articles.models import Section
from moderation.policy import ModerationPolicy, PolicyError, RuleHit, site_policy
from moderation.section_policy import section_policy
from tests.test_settings import _import_settings

POLICY = ModerationPolicy(
    spam_reject=0.9, spam_hold=0.5, spoiler_flag=0.6, abuse_reject=0.95, abuse_hold=0.6
)
TRUSTED = RuleHit(rule="trust", action="publish", reason="trusted: 34 approved")


def _status(abuse: float, *hits: RuleHit, spam: float = 0.1) -> str:
    return POLICY.verdict(
        spam_score=spam,
        spoiler_score=0.0,
        author_spoiler_tag=False,
        premoderated=False,
        hits=hits,
        abuse_score=abuse,
    ).status


@pytest.mark.parametrize(
    ("abuse", "status"),
    [
        (0.59, "approved"),
        (0.6, "pending"),
        (0.94, "pending"),
        (0.95, "rejected"),
        (1.0, "rejected"),
    ],
)
def test_its_verdict_follows_the_abuse_thresholds(abuse, status):
    assert _status(abuse) == status


def test_a_trusted_commenter_is_held_for_abuse_all_the_same():
    assert _status(0.3, TRUSTED) == "approved"
    assert _status(0.7, TRUSTED) == "pending"


def test_spam_still_wins_over_an_abuse_hold():
    assert _status(0.7, spam=0.95) == "spam"


def test_an_abuse_hold_reads_as_moderators_see_it():
    assert POLICY.abuse_hit(0.7, "word 'moron'") == RuleHit(
        "abuse_model", "hold", "possible abuse: word 'moron'"
    )
    assert POLICY.abuse_hit(0.99, "word 'moron'") == RuleHit(
        "abuse_model", "reject", "abuse: word 'moron'"
    )
    assert POLICY.abuse_hit(0.5, "word 'moron'") is None


def test_an_abuse_score_makes_a_comment_worth_explaining():
    assert not POLICY.is_flagged(0.1, 0.1, abuse_score=0.59)
    assert POLICY.is_flagged(0.1, 0.1, abuse_score=0.6)
    assert POLICY.says_yes("abuse", 0.6) and not POLICY.says_yes("abuse", 0.59)


def test_it_refuses_an_abuse_hold_above_its_reject():
    with pytest.raises(PolicyError, match="abuse_hold"):
        ModerationPolicy(
            spam_reject=0.9, spam_hold=0.5, spoiler_flag=0.5, abuse_reject=0.5, abuse_hold=0.8
        )
    with pytest.raises(PolicyError, match="abuse_reject must be a number from 0 to 1"):
        ModerationPolicy(spam_reject=0.9, spam_hold=0.5, spoiler_flag=0.5, abuse_reject=1.5)


def test_the_site_policy_reads_the_abuse_settings(settings):
    settings.ABUSE_HOLD = 0.4
    settings.ABUSE_REJECT = 0.8
    policy = site_policy(fitted={})  # the settings alone, no retrain has fitted any
    assert (policy.abuse_hold, policy.abuse_reject) == (0.4, 0.8)


def test_a_section_overrides_the_abuse_thresholds(db, settings):
    settings.ABUSE_HOLD = 0.5
    settings.ABUSE_REJECT = 0.99
    sport = Section.objects.create(name="Sport", slug="sport", abuse_hold=0.7)
    politics = Section.objects.create(name="Politics", slug="politics")
    assert (section_policy(sport).abuse_hold, section_policy(sport).abuse_reject) == (0.7, 0.99)
    assert section_policy(politics).abuse_hold == 0.5


def test_a_section_cannot_hold_above_the_sites_abuse_reject(db, settings):
    settings.ABUSE_REJECT = 0.9
    section = Section(name="Sport", slug="sport", abuse_hold=0.95)
    with pytest.raises(Exception, match="abuse_hold"):
        section.full_clean()


def test_abuse_settings_that_cannot_work_stop_the_process_at_start():
    result = _import_settings({"ABUSE_HOLD": "0.9", "ABUSE_REJECT": "0.5"})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "ABUSE_REJECT=0.5, ABUSE_HOLD=0.9" in result.stderr
