"""The author's edits and deletions of their own comment."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from moderation.engagement.services import (
    EditRefused,
    comment_delete_by_author,
    comment_edit_by_author,
)
from moderation.models import Comment, CommentRevision, CommentSignature, ModerationEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(monkeypatch):
    """The comment ids queued for scoring once the transaction commits."""
    ids: list[int] = []
    monkeypatch.setattr("moderation.services.enqueue_classification", ids.append)
    return ids


@pytest.fixture
def published(make_comment, moderator):
    """A comment a moderator approved two minutes after it was posted, as scored."""
    return make_comment(
        body="The bridge reopened on Monday.",
        status="approved",
        created_at=timezone.now() - timedelta(minutes=2),
        decided_by=moderator,
        decided_at=timezone.now(),
        scored_at=timezone.now(),
        spam_score=0.1,
        spoiler_score=0.2,
        spam_model_version="abc",
        featured_at=timezone.now(),
        featured_by=moderator,
    )


def test_an_edit_is_moderated_again_like_a_new_comment(
    published, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        comment_edit_by_author(
            comment_id=published.pk, body="It reopened on Tuesday.", spoiler_tag=False
        )
    comment = Comment.objects.get(pk=published.pk)
    assert comment.body == "It reopened on Tuesday."
    assert comment.status == "pending" and comment.edited_at is not None
    # Nothing judged of the old words holds for the new ones.
    assert comment.scored_at is None and comment.spam_score is None
    assert comment.decided_at is None and comment.decided_by is None
    assert comment.featured_at is None
    assert queued == [published.pk]
    event = ModerationEvent.objects.filter(comment=comment).latest("id")
    assert (event.action, event.from_status, event.to_status) == ("edited", "approved", "pending")


def test_the_history_keeps_every_text_for_moderators(published, queued):
    comment_edit_by_author(comment_id=published.pk, body="Second text.", spoiler_tag=False)
    comment_edit_by_author(comment_id=published.pk, body="Third text.", spoiler_tag=True)
    texts = list(CommentRevision.objects.filter(comment=published).values_list("body", flat=True))
    assert texts == ["The bridge reopened on Monday.", "Second text."]
    comment = Comment.objects.get(pk=published.pk)
    assert comment.body == "Third text." and comment.is_spoiler and comment.author_spoiler_tag


def test_the_same_text_again_changes_nothing(published, queued):
    comment_edit_by_author(
        comment_id=published.pk, body="The bridge reopened on Monday.", spoiler_tag=False
    )
    assert Comment.objects.get(pk=published.pk).status == "approved"
    assert not CommentRevision.objects.exists()
    assert queued == []


def test_an_edit_after_the_window_is_refused_with_the_reason(make_comment, settings, queued):
    settings.COMMENT_EDIT_WINDOW_MINUTES = 10
    old = make_comment(body="Old words.", created_at=timezone.now() - timedelta(minutes=11))
    with pytest.raises(EditRefused, match="first 10 minutes"):
        comment_edit_by_author(comment_id=old.pk, body="New words.", spoiler_tag=False)
    assert Comment.objects.get(pk=old.pk).body == "Old words."
    assert not CommentRevision.objects.exists()


def test_an_edit_after_a_reply_is_refused_even_a_pending_one(published, make_comment, queued):
    make_comment(body="I disagree.", parent=published, status="pending")
    with pytest.raises(EditRefused, match="replied"):
        comment_edit_by_author(comment_id=published.pk, body="New words.", spoiler_tag=False)
    assert Comment.objects.get(pk=published.pk).status == "approved"


@pytest.mark.parametrize(("body", "field"), [("   ", "body"), ("x" * 5001, "body")])
def test_an_empty_or_too_long_edit_is_refused_by_field(published, queued, body, field):
    with pytest.raises(ValidationError) as refused:
        comment_edit_by_author(comment_id=published.pk, body=body, spoiler_tag=False)
    assert field in refused.value.message_dict
    assert Comment.objects.get(pk=published.pk).body == "The bridge reopened on Monday."


def test_the_edit_forgets_the_old_texts_near_duplicate_signature(published, queued):
    CommentSignature.objects.create(comment=published, band=0, hash=42, created_at=timezone.now())
    comment_edit_by_author(comment_id=published.pk, body="Different now.", spoiler_tag=False)
    assert not CommentSignature.objects.filter(comment=published).exists()


def test_deleting_blanks_the_text_keeps_the_replies_and_forgets_old_versions(
    published, make_comment, queued
):
    comment_edit_by_author(comment_id=published.pk, body="Second text.", spoiler_tag=False)
    reply = make_comment(body="A reply.", parent=published, status="approved")
    comment_delete_by_author(comment_id=published.pk)
    comment = Comment.objects.get(pk=published.pk)
    assert comment.body == "" and comment.deleted_at is not None
    assert not CommentRevision.objects.filter(comment=comment).exists()
    assert Comment.objects.get(pk=reply.pk).parent_id == comment.pk
    assert ModerationEvent.objects.filter(comment=comment, action="deleted").count() == 1


def test_deleting_is_allowed_any_time_and_twice_is_harmless(make_comment):
    old = make_comment(status="approved", created_at=timezone.now() - timedelta(days=30))
    comment_delete_by_author(comment_id=old.pk)
    comment_delete_by_author(comment_id=old.pk)
    assert ModerationEvent.objects.filter(comment=old, action="deleted").count() == 1


def test_a_deleted_comment_cannot_be_edited(published, queued):
    comment_delete_by_author(comment_id=published.pk)
    with pytest.raises(EditRefused, match="deleted"):
        comment_edit_by_author(comment_id=published.pk, body="Back again.", spoiler_tag=False)


def test_a_deleted_comment_is_no_training_label(published):
    from moderation.selectors import comment_list_labelled

    assert list(comment_list_labelled(task="spam")) == [published]
    comment_delete_by_author(comment_id=published.pk)
    assert list(comment_list_labelled(task="spam")) == []
