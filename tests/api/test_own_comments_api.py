"""The public API: the author edits or deletes their comment from the browser that
posted it, readers recommend, the list sorts and shows the editors' picks."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from moderation.models import Comment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_scoring(monkeypatch):
    monkeypatch.setattr("moderation.services._enqueue_scoring", lambda comment_id: None)


@pytest.fixture
def browser() -> APIClient:
    """A reader's browser: sessions and CSRF checked, as in the page's script."""
    client = APIClient(enforce_csrf_checks=True)
    # The page the script runs on sets the CSRF cookie.
    client.get("/")
    return client


def _csrf(client: APIClient) -> dict[str, str]:
    return {"HTTP_X_CSRFTOKEN": client.cookies["csrftoken"].value}


def _post_comment(client: APIClient, article, body: str = "My first words.") -> int:
    answer = client.post(
        f"/api/v1/articles/{article.slug}/comments/",
        {"author_name": "Ira", "body": body},
        format="json",
    )
    assert answer.status_code == 201
    return answer.json()["id"]


def test_the_browser_that_posted_edits_and_deletes(browser, article):
    comment_id = _post_comment(browser, article)
    edited = browser.patch(
        f"/api/v1/comments/{comment_id}/",
        {"body": "Better words.", "spoiler": True},
        format="json",
        **_csrf(browser),
    )
    assert edited.status_code == 200
    assert edited.json()["body"] == "Better words." and edited.json()["status"] == "pending"
    deleted = browser.delete(f"/api/v1/comments/{comment_id}/", **_csrf(browser))
    assert deleted.status_code == 204
    comment = Comment.objects.get(pk=comment_id)
    assert comment.body == "" and comment.deleted_at is not None


def test_another_browser_gets_403_and_nothing_changes(browser, article):
    comment_id = _post_comment(browser, article)
    other = APIClient(enforce_csrf_checks=True)
    other.get("/")
    answer = other.patch(
        f"/api/v1/comments/{comment_id}/", {"body": "Hijacked."}, format="json", **_csrf(other)
    )
    assert answer.status_code == 403
    assert "only change a comment you wrote" in answer.json()["detail"]
    assert other.delete(f"/api/v1/comments/{comment_id}/", **_csrf(other)).status_code == 403
    assert Comment.objects.get(pk=comment_id).body == "My first words."


def test_without_the_csrf_token_nothing_changes(browser, article):
    comment_id = _post_comment(browser, article)
    answer = browser.patch(f"/api/v1/comments/{comment_id}/", {"body": "Forged."}, format="json")
    assert answer.status_code == 403
    assert Comment.objects.get(pk=comment_id).body == "My first words."


def test_an_edit_after_the_window_is_403_with_the_reason(browser, article, settings):
    settings.COMMENT_EDIT_WINDOW_MINUTES = 10
    comment_id = _post_comment(browser, article)
    Comment.objects.filter(pk=comment_id).update(created_at=timezone.now() - timedelta(minutes=11))
    answer = browser.patch(
        f"/api/v1/comments/{comment_id}/", {"body": "Too late."}, format="json", **_csrf(browser)
    )
    assert answer.status_code == 403
    assert "first 10 minutes" in answer.json()["detail"]


def test_a_bad_edit_is_400_by_field(browser, article):
    comment_id = _post_comment(browser, article)
    answer = browser.patch(
        f"/api/v1/comments/{comment_id}/", {"body": ""}, format="json", **_csrf(browser)
    )
    assert answer.status_code == 400 and "body" in answer.json()
    assert Comment.objects.get(pk=comment_id).body == "My first words."


def test_a_recommendation_counts_once_per_browser(browser, article, make_comment):
    comment = make_comment(status="approved")
    url = f"/api/v1/comments/{comment.pk}/recommend/"
    assert browser.post(url, **_csrf(browser)).json() == {
        "recommend_count": 1,
        "recommended": True,
    }
    assert browser.post(url, **_csrf(browser)).json()["recommend_count"] == 1
    assert browser.delete(url, **_csrf(browser)).json() == {
        "recommend_count": 0,
        "recommended": False,
    }


def test_the_list_sorts_by_recommendations_and_shows_picks(anon_client, article, make_comment):
    now = timezone.now()
    few = make_comment(status="approved", recommend_count=1, created_at=now - timedelta(hours=3))
    many = make_comment(status="approved", recommend_count=7, created_at=now - timedelta(hours=2))
    pick = make_comment(status="approved", featured_at=now, created_at=now - timedelta(hours=1))
    url = f"/api/v1/articles/{article.slug}/comments/"
    ranked = anon_client.get(url, {"sort": "recommended"}).json()["results"]
    assert [c["id"] for c in ranked] == [many.pk, few.pk, pick.pk]
    newest = anon_client.get(url, {"sort": "newest"}).json()["results"]
    assert [c["id"] for c in newest] == [pick.pk, many.pk, few.pk]
    picks = anon_client.get(url, {"picks": "true"}).json()["results"]
    assert [(c["id"], c["is_editors_pick"]) for c in picks] == [(pick.pk, True)]


def test_the_recommended_sort_pages_with_cursors(anon_client, article, make_comment):
    for n in range(5):
        make_comment(status="approved", recommend_count=n % 2, body=f"Comment {n}")
    url = f"/api/v1/articles/{article.slug}/comments/"
    first = anon_client.get(url, {"sort": "recommended", "page_size": 3}).json()
    second = anon_client.get(first["next"]).json()
    counts = [c["recommend_count"] for c in first["results"] + second["results"]]
    assert counts == [1, 1, 0, 0, 0]
    assert len({c["id"] for c in first["results"] + second["results"]}) == 5


def test_a_deleted_comment_keeps_its_place_with_no_text(anon_client, article, make_comment):
    gone = make_comment(status="approved", body="", deleted_at=timezone.now())
    results = anon_client.get(f"/api/v1/articles/{article.slug}/comments/").json()["results"]
    assert [(c["id"], c["body"], c["is_deleted"]) for c in results] == [(gone.pk, "", True)]
