import pytest

from moderation.services import comment_apply_scores, comment_approve

VERSIONS = {"spam": "s1", "spoiler": "p1"}


def _score(comment, spam, spoiler=0.1):
    return comment_apply_scores(
        comment_id=comment.pk,
        spam_score=spam,
        spoiler_score=spoiler,
        model_versions=VERSIONS,
        explanation={"spam": [{"feature": 'word "casino"', "weight": 2.0}]},
    )


@pytest.mark.parametrize(
    ("spam", "status"),
    [(0.95, "spam"), (0.9, "spam"), (0.7, "pending"), (0.5, "pending"), (0.1, "approved")],
)
def test_the_policy_decides_by_thresholds(make_comment, spam, status):
    comment = _score(make_comment(), spam)
    assert comment.status == status
    event = comment.events.get()
    assert event.actor is None and event.action == "scored"
    assert event.model_versions == VERSIONS
    assert (event.from_status, event.to_status) == ("pending", status)


def test_a_premoderated_article_holds_even_clean_comments(make_comment, article):
    article.comment_mode = "premoderated"
    article.save()
    assert _score(make_comment(), 0.01).status == "pending"


def test_it_flags_spoilers_by_score_or_the_readers_tag(make_comment):
    assert _score(make_comment(), 0.1, spoiler=0.8).is_spoiler
    assert _score(
        make_comment(author_spoiler_tag=True, is_spoiler=True), 0.1, spoiler=0.0
    ).is_spoiler
    assert not _score(make_comment(), 0.1, spoiler=0.2).is_spoiler


def test_a_rerun_changes_nothing(make_comment):
    comment = _score(make_comment(), 0.2)
    again = _score(comment, 0.99)
    assert again.status == "approved" and again.spam_score == 0.2
    assert again.events.count() == 1


def test_a_persons_decision_is_never_overwritten(make_comment, moderator):
    comment = comment_approve(comment_id=make_comment().pk, actor=moderator)
    comment = _score(comment, 0.99)
    assert comment.status == "approved"
    assert comment.spam_score == 0.99, "the score is still kept for the record"


def test_uncertainty_ranks_borderline_comments_first(make_comment):
    borderline = _score(make_comment(), 0.52)
    clear = _score(make_comment(), 0.02)
    assert borderline.uncertainty > clear.uncertainty
