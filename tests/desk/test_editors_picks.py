"""Editors choose the picks in the desk; moderators may not. Moderators see the texts a
comment had before its author edited it."""

import pytest
from django.urls import reverse
from django.utils import timezone

from moderation.engagement.services import comment_edit_by_author
from moderation.models import Comment

pytestmark = pytest.mark.django_db


def _changelist(client, action: str, *comments: Comment):
    return client.post(
        reverse("admin:moderation_comment_changelist") + "?queue=all",
        {"action": action, "_selected_action": [c.pk for c in comments]},
    )


def test_an_editor_features_comments_from_the_queue(client, editor, make_comment):
    shown = make_comment(status="approved")
    held = make_comment(status="pending")
    client.force_login(editor)
    _changelist(client, "feature_selected", shown, held)
    assert Comment.objects.get(pk=shown.pk).featured_at is not None
    assert Comment.objects.get(pk=held.pk).featured_at is None
    _changelist(client, "unfeature_selected", shown)
    assert Comment.objects.get(pk=shown.pk).featured_at is None


def test_a_moderator_cannot_feature(client, moderator, make_comment):
    shown = make_comment(status="approved")
    client.force_login(moderator)
    _changelist(client, "feature_selected", shown)
    url = reverse("admin:moderation_comment_feature", args=[shown.pk])
    assert client.post(url, {"featured": "1"}).status_code == 403
    assert Comment.objects.get(pk=shown.pk).featured_at is None


def test_an_editor_features_from_the_comments_page(client, editor, make_comment):
    shown = make_comment(status="approved")
    client.force_login(editor)
    page = client.get(reverse("admin:moderation_comment_change", args=[shown.pk])).text
    assert "Make an editors’ pick" in page
    client.post(reverse("admin:moderation_comment_feature", args=[shown.pk]), {"featured": "1"})
    assert Comment.objects.get(pk=shown.pk).featured_by == editor


def test_the_comment_page_shows_the_text_before_the_edit(
    client, moderator, make_comment, monkeypatch
):
    monkeypatch.setattr("moderation.services._enqueue_scoring", lambda comment_id: None)
    comment = make_comment(body="What I first wrote.", created_at=timezone.now())
    comment_edit_by_author(comment_id=comment.pk, body="What I meant.", spoiler_tag=False)
    client.force_login(moderator)
    page = client.get(reverse("admin:moderation_comment_change", args=[comment.pk])).text
    assert "What I first wrote." in page and "What I meant." in page
    assert "Edited by its author" in page
