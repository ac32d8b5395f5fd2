"""Rules beside the models: scoring asks them once per batch and the policy weighs them."""

import pytest

from moderation import rules
from moderation.comment_scoring import active_models as loaded
from moderation.comment_scoring import score_comment, score_comments
from moderation.models import Comment
from moderation.policy import ModerationPolicy, RuleHit

# The abuse model out of reach: these tests are about the rules beside the models.
POLICY = ModerationPolicy(
    spam_reject=0.9, spam_hold=0.5, spoiler_flag=0.5, abuse_reject=1.0, abuse_hold=1.0
)
HOLD = RuleHit(rule="test", action="hold", reason="suspect term 'moron'")
REJECT = RuleHit(rule="test", action="reject", reason="banned commenter: touting")
PUBLISH = RuleHit(rule="test", action="publish", reason="trusted: 34 approved")


def _verdict(spam: float, *hits: RuleHit, premoderated: bool = False) -> str:
    return POLICY.verdict(
        spam_score=spam,
        spoiler_score=0.0,
        author_spoiler_tag=False,
        premoderated=premoderated,
        hits=hits,
    ).status


def test_a_rules_reject_comes_before_everything():
    assert _verdict(0.1, REJECT) == "rejected"
    assert _verdict(0.95, REJECT, PUBLISH) == "rejected"


def test_a_rules_hold_keeps_a_comment_the_model_would_publish():
    assert _verdict(0.1) == "approved"
    assert _verdict(0.1, HOLD) == "pending"
    assert _verdict(0.95, HOLD) == "spam"


def test_publish_lets_a_comment_through_the_hold_band_only():
    assert _verdict(0.6) == "pending"
    assert _verdict(0.6, PUBLISH) == "approved"
    assert _verdict(0.95, PUBLISH) == "spam"
    assert _verdict(0.6, PUBLISH, HOLD) == "pending"
    assert _verdict(0.1, PUBLISH, premoderated=True) == "pending"


def test_only_acting_hits_make_a_comment_worth_explaining():
    assert not POLICY.is_flagged(0.1, 0.1)
    assert POLICY.is_flagged(0.1, 0.1, [HOLD])
    assert not POLICY.is_flagged(0.1, 0.1, [PUBLISH])


@pytest.fixture
def held_by_word(monkeypatch):
    """A rule that holds every comment saying "moron", and counts how often it is asked."""
    calls: list[int] = []

    def rule(comments):
        calls.append(len(comments))
        return {c.pk: [HOLD] for c in comments if "moron" in c.body.lower()}

    monkeypatch.setattr(rules, "RULES", [rule])
    return calls


def test_a_hold_by_a_rule_keeps_a_comment_the_model_would_publish(
    make_comment, active_models, held_by_word, abuse_model_never_acts
):
    clean = make_comment("The bridge looks better than before the repairs.")
    rude = make_comment("Whoever planned these repairs is a moron.")
    for comment in (clean, rude):
        score_comment(comment.pk)
    clean.refresh_from_db()
    rude.refresh_from_db()
    assert clean.status == "approved" and clean.rule_hits == []
    assert rude.status == "pending"
    assert rude.rule_hits == [HOLD.as_dict()]
    assert rude.explanation, "a held comment is explained at once"
    assert rude.events.get(action="scored").reason_text == "suspect term 'moron'"


def test_the_batch_asks_each_rule_once(make_comment, active_models, held_by_word):
    comments = [make_comment(f"Comment number {n} about the bridge, moron.") for n in range(5)]
    scored = score_comments(comments, loaded(), POLICY)
    assert len(scored) == 5 and held_by_word == [5]
    assert set(Comment.objects.values_list("status", flat=True)) == {"pending"}


def test_the_desk_shows_which_rule_held_a_comment(
    client, moderator, make_comment, active_models, held_by_word
):
    rude = make_comment("Whoever planned these repairs is a moron.")
    score_comment(rude.pk)
    client.force_login(moderator)
    page = client.get(f"/admin/moderation/comment/{rude.pk}/change/").content.decode()
    assert 'id="desk-rule-hits"' in page and "suspect term &#x27;moron&#x27;" in page
