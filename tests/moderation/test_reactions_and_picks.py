"""Readers' recommendations, counted once each, and editors' picks."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from articles.models import Reader, Site
from moderation.engagement.services import (
    NotRecommendable,
    comment_delete_by_author,
    comment_feature,
    comment_recommend,
    comment_unrecommend,
)
from moderation.models import Comment, CommentReaction, ModerationEvent

pytestmark = pytest.mark.django_db


def test_a_second_recommendation_from_the_same_session_counts_once(make_comment):
    comment = make_comment(status="approved")
    assert comment_recommend(comment_id=comment.pk, session_key="s1") == (1, True)
    assert comment_recommend(comment_id=comment.pk, session_key="s1") == (1, False)
    assert comment_recommend(comment_id=comment.pk, session_key="s2") == (2, True)
    assert Comment.objects.get(pk=comment.pk).recommend_count == 2


def test_a_signed_in_reader_counts_once_whichever_browser(make_comment):
    comment = make_comment(status="approved")
    reader = Reader.objects.create(site=Site.objects.default(), display_name="Olha")
    comment_recommend(comment_id=comment.pk, session_key="phone", reader=reader)
    assert comment_recommend(comment_id=comment.pk, session_key="laptop", reader=reader) == (
        1,
        False,
    )


def test_withdrawing_takes_back_only_ones_own(make_comment):
    comment = make_comment(status="approved")
    comment_recommend(comment_id=comment.pk, session_key="s1")
    comment_recommend(comment_id=comment.pk, session_key="s2")
    assert comment_unrecommend(comment_id=comment.pk, session_key="s1") == (1, True)
    assert comment_unrecommend(comment_id=comment.pk, session_key="s1") == (1, False)
    assert list(CommentReaction.objects.values_list("session_key", flat=True)) == ["s2"]


@pytest.mark.parametrize(
    ("status", "deleted"), [("pending", False), ("rejected", False), ("approved", True)]
)
def test_only_a_published_comment_with_its_text_can_be_recommended(make_comment, status, deleted):
    comment = make_comment(status=status)
    if deleted:
        comment_delete_by_author(comment_id=comment.pk)
    with pytest.raises(NotRecommendable):
        comment_recommend(comment_id=comment.pk, session_key="s1")
    assert Comment.objects.get(pk=comment.pk).recommend_count == 0


def test_a_recommendation_needs_someone_behind_it(make_comment):
    comment = make_comment(status="approved")
    with pytest.raises(ValueError):
        comment_recommend(comment_id=comment.pk, session_key="")


@pytest.mark.django_db(transaction=True)
def test_two_tabs_recommending_at_once_count_once(make_comment):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (.ci/run)")
    comment = make_comment(status="approved")
    barrier = threading.Barrier(2)
    results: list[tuple[int, bool]] = []

    def click() -> None:
        barrier.wait()
        results.append(comment_recommend(comment_id=comment.pk, session_key="same"))
        connection.close()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(counted for _, counted in results) == [False, True]
    assert Comment.objects.get(pk=comment.pk).recommend_count == 1


def test_an_editor_features_a_comment_once_with_an_event(make_comment, editor):
    comment = make_comment(status="approved")
    comment_feature(comment_id=comment.pk, actor=editor, featured=True)
    comment_feature(comment_id=comment.pk, actor=editor, featured=True)
    comment.refresh_from_db()
    assert comment.featured_at is not None and comment.featured_by == editor
    assert ModerationEvent.objects.filter(comment=comment, action="featured").count() == 1
    comment_feature(comment_id=comment.pk, actor=editor, featured=False)
    comment.refresh_from_db()
    assert comment.featured_at is None
    assert ModerationEvent.objects.filter(comment=comment, action="unfeatured").count() == 1


def test_an_unpublished_comment_cannot_be_a_pick(make_comment, editor):
    comment = make_comment(status="pending")
    with pytest.raises(ValidationError):
        comment_feature(comment_id=comment.pk, actor=editor, featured=True)
    assert Comment.objects.get(pk=comment.pk).featured_at is None
