"""The services announce published, removed and reported comments and new correction
requests and corrections once committed, and only then."""

import pytest
from django.db import transaction

from articles.services import correction_request_submit, correction_requests_resolve
from articles.signals import correction_published, correction_request_created
from moderation.bulk import BulkItem, bulk_decider, comment_bulk_decide
from moderation.services import (
    comment_apply_scores,
    comment_approve,
    comment_mark_spam,
    comment_reject,
    comment_report,
)
from moderation.signals import comment_published, comment_rejected, comment_reported


@pytest.fixture
def heard():
    """Every signal sent, as (name, ids) in order; receivers disconnected afterwards."""
    received: list[tuple[str, dict]] = []
    signals = {
        "published": comment_published,
        "rejected": comment_rejected,
        "reported": comment_reported,
        "request_created": correction_request_created,
        "correction_published": correction_published,
    }
    receivers = {}
    for name, signal in signals.items():

        def receiver(sender, signal=None, _name=name, **ids):
            received.append((_name, ids))

        signal.connect(receiver, weak=False)
        receivers[name] = receiver
    yield received
    for name, signal in signals.items():
        signal.disconnect(receivers[name])


def _score(comment, spam):
    return comment_apply_scores(
        comment_id=comment.pk,
        spam_score=spam,
        spoiler_score=0.0,
        model_versions={"spam": "s1", "spoiler": "p1"},
        explanation={},
    )


@pytest.mark.django_db(transaction=True)
def test_a_person_approving_announces_the_comment_after_the_commit(make_comment, moderator, heard):
    comment = make_comment()
    with transaction.atomic():
        comment_approve(comment_id=comment.pk, actor=moderator)
        assert heard == []
    assert heard == [("published", {"comment_ids": [comment.pk]})]


@pytest.mark.django_db(transaction=True)
def test_nothing_is_announced_when_the_transaction_rolls_back(make_comment, moderator, heard):
    comment = make_comment()
    with pytest.raises(RuntimeError), transaction.atomic():
        comment_approve(comment_id=comment.pk, actor=moderator)
        raise RuntimeError("the caller failed after the decision")
    assert heard == []


@pytest.mark.django_db(transaction=True)
def test_rejections_and_spam_are_announced_as_removals_once(make_comment, moderator, heard):
    rejected, spam = make_comment(), make_comment()
    comment_reject(comment_id=rejected.pk, actor=moderator, reason_code="off_topic")
    comment_mark_spam(comment_id=spam.pk, actor=moderator)
    # Rejected to spam is no new removal.
    comment_mark_spam(comment_id=rejected.pk, actor=moderator)
    assert heard == [
        ("rejected", {"comment_ids": [rejected.pk]}),
        ("rejected", {"comment_ids": [spam.pk]}),
    ]


@pytest.mark.django_db(transaction=True)
def test_scoring_announces_what_the_policy_published_or_removed(make_comment, heard):
    clean, spam, held = make_comment(), make_comment(), make_comment()
    _score(clean, 0.05)
    _score(spam, 0.99)
    _score(held, 0.7)
    assert heard == [
        ("published", {"comment_ids": [clean.pk]}),
        ("rejected", {"comment_ids": [spam.pk]}),
    ]


@pytest.mark.django_db(transaction=True)
def test_a_bulk_decision_announces_each_comment(make_comment, moderator, heard):
    first, second = make_comment(), make_comment()
    comment_bulk_decide(
        items=[BulkItem(first.pk, "pending"), BulkItem(second.pk, "pending")],
        actor=moderator,
        decide=bulk_decider(action="approve", actor=moderator),
    )
    assert sorted(ids["comment_ids"][0] for _, ids in heard) == [first.pk, second.pk]
    assert {name for name, _ in heard} == {"published"}


@pytest.mark.django_db(transaction=True)
def test_a_report_is_announced(make_comment, heard):
    comment = make_comment(status="approved")
    report = comment_report(comment=comment, reason="abuse", text="Rude.")
    assert heard == [("reported", {"report_ids": [report.pk]})]


@pytest.mark.django_db(transaction=True)
def test_correction_requests_and_the_correction_that_answers_them_are_announced(
    article, editor, heard
):
    request = correction_request_submit(article=article, suggestion="It reopened on Tuesday.")
    resolution = correction_requests_resolve(
        request_id=request.pk, actor=editor, correction_text="It reopened on Tuesday."
    )
    assert heard == [
        ("request_created", {"request_ids": [request.pk]}),
        (
            "correction_published",
            {"correction_id": resolution.correction.pk, "request_ids": [request.pk]},
        ),
    ]
