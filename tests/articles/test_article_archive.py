"""Articles are archived, never deleted; comments with a moderation trail are never deleted."""

import pytest
from django.db.models import ProtectedError
from rest_framework.test import APIClient

from articles.models import Article, Correction
from articles.services import article_archive, article_restore
from moderation.models import Comment, ModerationEvent
from moderation.services import comment_approve, comment_submit

ARTICLES = "/admin/articles/article/"
COMMENTS = "/admin/moderation/comment/"


@pytest.fixture
def discussed(article, moderator):
    """An article with an approved comment, a pending reply and their events."""
    comment = comment_submit(article=article, author_name="Oksana", body="Nine months, surely?")
    comment = comment_approve(comment_id=comment.pk, actor=moderator)
    reply = comment_submit(
        article=article, author_name="Petro", body="The city said eight.", parent_id=comment.pk
    )
    Correction.objects.create(article=article, text="The repairs took nine months.")
    return {"article": article, "comment": comment, "reply": reply}


def _trail() -> list[tuple[int, int, str]]:
    return list(ModerationEvent.objects.order_by("pk").values_list("pk", "comment", "action"))


def test_an_editor_archives_an_article_and_every_comment_and_event_stays(client, editor, discussed):
    article = discussed["article"]
    trail, comments = _trail(), set(Comment.objects.values_list("pk", flat=True))
    assert len(trail) == 3  # submitted, approved, submitted
    client.force_login(editor)
    response = client.post(
        ARTICLES, {"action": "archive_selected", "_selected_action": [article.pk]}, follow=True
    )
    assert "1 article(s) archived" in response.content.decode()
    article.refresh_from_db()
    assert article.archived_at is not None and article.archived_by == editor
    assert set(Comment.objects.values_list("pk", flat=True)) == comments
    assert _trail() == trail
    assert article.corrections.count() == 1


def test_an_archived_article_is_gone_from_the_reader_pages_and_the_public_api(
    client, discussed, editor
):
    article, comment = discussed["article"], discussed["comment"]
    assert client.get(article.get_absolute_url()).status_code == 200
    article_archive(article_id=article.pk, actor=editor)
    api = APIClient()
    assert client.get(article.get_absolute_url()).status_code == 404
    assert article.title not in client.get("/").content.decode()
    assert "nine months" not in client.get("/corrections/").content.decode()
    assert client.get(f"/comments/{comment.pk}/report/").status_code == 404
    assert api.get(f"/api/v1/articles/{article.slug}/comments/").status_code == 404
    posted = api.post(
        f"/api/v1/articles/{article.slug}/correction-requests/",
        {"suggestion": "Too late?"},
        format="json",
    )
    assert posted.status_code == 404
    assert api.post(f"/api/v1/comments/{comment.pk}/reports/", {"reason": "spam"}).status_code == (
        404
    )
    article_restore(article_id=article.pk)
    assert client.get(article.get_absolute_url()).status_code == 200


def test_the_admin_offers_no_way_to_delete_an_article(admin_client, discussed):
    article = discussed["article"]
    trail = _trail()
    assert admin_client.get(f"{ARTICLES}{article.pk}/delete/").status_code == 403
    assert admin_client.post(f"{ARTICLES}{article.pk}/delete/", {"post": "yes"}).status_code == 403
    admin_client.post(
        ARTICLES, {"action": "delete_selected", "_selected_action": [article.pk], "post": "yes"}
    )
    assert Article.objects.filter(pk=article.pk, archived_at__isnull=True).exists()
    assert _trail() == trail


def test_a_comment_with_events_cannot_be_deleted_by_any_admin_path(admin_client, discussed):
    article, comment = discussed["article"], discussed["comment"]
    trail = _trail()
    event = ModerationEvent.objects.filter(comment=comment).first()
    attempts = [
        (f"{COMMENTS}{comment.pk}/delete/", {"post": "yes"}),
        (COMMENTS, {"action": "delete_selected", "_selected_action": [comment.pk], "post": "yes"}),
        (f"/admin/moderation/moderationevent/{event.pk}/delete/", {"post": "yes"}),
        (f"{ARTICLES}{article.pk}/delete/", {"post": "yes"}),
        (ARTICLES, {"action": "delete_selected", "_selected_action": [article.pk], "post": "yes"}),
    ]
    for path, data in attempts:
        admin_client.post(path, data)
    assert Comment.objects.filter(pk=comment.pk).exists()
    assert _trail() == trail


def test_the_database_refuses_to_delete_a_trail(discussed):
    article, comment = discussed["article"], discussed["comment"]
    with pytest.raises(ProtectedError):
        comment.delete()
    with pytest.raises(ProtectedError):
        article.delete()
    assert ModerationEvent.objects.filter(comment__article=article).count() == 3
