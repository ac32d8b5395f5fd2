"""A commenter's standing: read from people's decisions only, weighed by the trust settings."""

import pytest

from moderation.models import Comment
from moderation.trust import standings, trust_rule

READER = "reader@example.org"


@pytest.fixture(autouse=True)
def _small_policy(settings):
    settings.TRUST_MIN_APPROVED = 3
    settings.TRUST_LOOKBACK = 4
    settings.DISTRUST_LAST_REJECTED = 2


@pytest.fixture
def history(commenter_history):
    def make(*statuses: str, email: str = READER, by_model: bool = False) -> None:
        commenter_history(email, *statuses, by_model=by_model)

    return make


def _label(make_comment, email: str = READER) -> str:
    comment = make_comment("Another view of the bridge.", author_email=email)
    return standings([comment])[comment.pk].label


def test_a_commenter_with_nothing_decided_is_new(make_comment, history):
    assert _label(make_comment) == "new commenter"


def test_a_comment_without_an_email_has_no_history(make_comment, history):
    history("approved", "approved", "approved", email="")
    comment = make_comment("No email given.", author_email="")
    assert standings([comment])[comment.pk].label == "no email: no history"
    assert trust_rule([comment]) == {}


def test_enough_approvals_and_no_rejection_in_the_lookback_earn_trust(make_comment, history):
    history("rejected", "approved", "approved", "approved", "approved")
    assert _label(make_comment) == "trusted: 4 approved"


def test_the_models_own_statuses_earn_no_trust(make_comment, history):
    history("approved", "approved", "approved", "approved", "approved", by_model=True)
    history("approved", "approved")
    assert _label(make_comment) == "2 approved, 0 rejected, 0 spam"


def test_the_models_own_rejections_do_not_premoderate(make_comment, history):
    history("spam", "spam", "rejected", by_model=True)
    assert _label(make_comment) == "new commenter"


def test_a_rejection_among_the_last_decided_withholds_trust(make_comment, history):
    history("approved", "approved", "approved", "rejected", "approved")
    assert _label(make_comment) == "4 approved, 1 rejected, 0 spam"


def test_the_last_decided_all_rejected_or_spam_premoderate(make_comment, history):
    history("approved", "approved", "approved", "approved", "rejected", "spam")
    comment = make_comment("Yet another view.", author_email=READER)
    found = standings([comment])[comment.pk]
    assert found.label == "premoderated: last 2 rejected or spam"
    assert trust_rule([comment])[comment.pk][0].as_dict() == {
        "rule": "trust",
        "action": "hold",
        "reason": "last 2 comments rejected or spam",
    }


def test_the_trust_hit_says_how_many_were_approved(make_comment, history):
    history(*["approved"] * 34)
    comment = make_comment("Yet another view.", author_email=READER)
    assert trust_rule([comment])[comment.pk][0].as_dict() == {
        "rule": "trust",
        "action": "publish",
        "reason": "trusted: 34 approved",
    }


def test_one_query_answers_a_whole_batch(make_comment, history, django_assert_num_queries):
    emails = [f"reader{n}@example.org" for n in range(5)]
    for email in emails:
        history("approved", "approved", "approved", email=email)
    history("rejected", "rejected", email=emails[0])
    batch = [make_comment("A view.", author_email=email) for email in emails * 2]
    with django_assert_num_queries(1):
        found = standings(batch)
    assert [found[c.pk].kind for c in batch] == ["premoderated", *["trusted"] * 4] * 2


def test_the_commenter_is_the_email_whatever_its_case(make_comment, history):
    history("approved", "approved", "approved")
    comment = Comment(pk=10**6, author_email="  Reader@Example.ORG ")
    assert standings([comment])[comment.pk].label == "trusted: 3 approved"
