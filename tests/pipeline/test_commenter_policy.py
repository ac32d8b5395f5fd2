"""Trust, bans and suspensions applied by real scoring (the classifiers of the seed corpus)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from moderation.comment_scoring import active_models as loaded
from moderation.comment_scoring import score_comment, score_comments
from moderation.models import Comment
from moderation.policy import site_policy
from moderation.rules import rule_hits
from moderation.sanctions import (
    commenter_ban,
    commenter_sanction_lift,
    commenter_suspend,
    sanction_rule,
)
from moderation.trust import trust_rule

READER = "reader@example.org"
# The seed models put this in the hold band (a person decides), this one well below it.
BORDERLINE = "Best prices on flights to Kyiv, see my profile"
SPAM = "Free offer for readers, click the link in my profile"
CLEAN = "The bridge looks better than before the repairs."


@pytest.fixture(autouse=True)
def _small_policy(settings):
    settings.TRUST_MIN_APPROVED = 3
    settings.TRUST_LOOKBACK = 5
    settings.DISTRUST_LAST_REJECTED = 2


def _scored(comment: Comment) -> Comment:
    score_comment(comment.pk)
    comment.refresh_from_db()
    return comment


def test_a_trusted_commenters_borderline_comment_is_published(
    make_comment, active_models, commenter_history
):
    commenter_history(READER, "approved", "approved", "approved", "approved")
    stranger = _scored(make_comment(BORDERLINE, author_email="new@example.org"))
    trusted = _scored(make_comment(BORDERLINE, author_email=READER))
    assert stranger.status == "pending"
    assert trusted.status == "approved"
    assert trusted.rule_hits == [
        {"rule": "trust", "action": "publish", "reason": "trusted: 4 approved"}
    ]
    # Never past the model's spam verdict.
    spam = _scored(make_comment(SPAM, author_email=READER))
    assert spam.status == "spam"


def test_a_distrusted_commenters_clean_comment_is_held(
    make_comment, active_models, commenter_history
):
    commenter_history(READER, "approved", "rejected", "spam")
    newcomer = _scored(make_comment(CLEAN, author_email="new@example.org"))
    distrusted = _scored(make_comment(CLEAN, author_email=READER))
    assert newcomer.status == "approved"
    assert distrusted.status == "pending"
    assert distrusted.events.get(action="scored").reason_text == (
        "last 2 comments rejected or spam"
    )


def test_history_counts_only_peoples_decisions(make_comment, active_models, commenter_history):
    commenter_history(READER, *["approved"] * 5, by_model=True)
    commenter_history("checked@example.org", *["approved"] * 3)
    by_model = _scored(make_comment(BORDERLINE, author_email=READER))
    by_people = _scored(make_comment(BORDERLINE, author_email="checked@example.org"))
    assert by_model.status == "pending" and by_model.rule_hits == []
    assert by_people.status == "approved"


def test_a_banned_emails_comment_is_rejected_with_the_reason(
    make_comment, active_models, moderator
):
    make_comment("An earlier comment.", author_email=READER)
    commenter_ban(actor=moderator, email=READER, reason="touting tickets")
    comment = _scored(make_comment(CLEAN, author_email=READER))
    assert comment.status == "rejected"
    assert comment.rule_hits == [
        {"rule": "sanction", "action": "reject", "reason": "banned: touting tickets"}
    ]
    assert comment.events.get(action="scored").reason_text == "banned: touting tickets"
    other = _scored(make_comment(CLEAN, author_email="someone@example.org"))
    assert other.status == "approved"


def test_a_domain_ban_covers_its_subdomains_and_no_other(make_comment, active_models, moderator):
    make_comment("An earlier comment.", author_email="a@spam.example")
    commenter_ban(actor=moderator, domain="spam.example", reason="a comment farm")
    inside = _scored(make_comment(CLEAN, author_email="b@mail.spam.example"))
    lookalike = _scored(make_comment(CLEAN, author_email="c@notspam.example"))
    assert inside.status == "rejected"
    assert inside.rule_hits[0]["reason"] == "banned (domain spam.example): a comment farm"
    assert lookalike.status == "approved"


def test_a_suspension_ends_at_its_date(make_comment, active_models, moderator, monkeypatch):
    make_comment("An earlier comment.", author_email=READER)
    ends = timezone.now() + timedelta(days=2)
    commenter_suspend(actor=moderator, email=READER, reason="cooling off", until=ends)
    during = _scored(make_comment(CLEAN, author_email=READER))
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + timedelta(days=2, minutes=1))
    after = _scored(make_comment(CLEAN, author_email=READER))
    assert during.status == "rejected"
    assert during.rule_hits[0]["reason"].startswith("suspended until ")
    assert during.rule_hits[0]["reason"].endswith(": cooling off")
    assert after.status == "approved" and after.rule_hits == []


def test_lifting_a_ban_restores_the_commenter(make_comment, active_models, moderator):
    make_comment("An earlier comment.", author_email=READER)
    ban = commenter_ban(actor=moderator, email=READER, reason="touting tickets")
    banned = _scored(make_comment(CLEAN, author_email=READER))
    commenter_sanction_lift(sanction_id=ban.pk, actor=moderator, reason="appeal upheld")
    restored = _scored(make_comment(CLEAN, author_email=READER))
    assert banned.status == "rejected"
    assert restored.status == "approved" and restored.rule_hits == []


def test_the_batch_path_applies_trust_and_bans_with_one_query_each(
    make_comment, active_models, moderator, commenter_history, django_assert_num_queries
):
    commenter_history(READER, "approved", "approved", "approved")
    make_comment("An earlier comment.", author_email="banned@example.org")
    commenter_ban(actor=moderator, email="banned@example.org", reason="abuse")
    batch = [
        make_comment(BORDERLINE, author_email=READER),
        make_comment(CLEAN, author_email="banned@example.org"),
        make_comment(BORDERLINE, author_email="new@example.org"),
        make_comment(CLEAN, author_email=""),
    ]
    with django_assert_num_queries(2):  # the sanctions, then every commenter's record
        rule_hits(batch, [sanction_rule, trust_rule])
    scored = score_comments(batch, loaded(), site_policy())
    assert len(scored) == 4
    statuses = [Comment.objects.get(pk=c.pk).status for c in batch]
    assert statuses == ["approved", "rejected", "pending", "approved"]
