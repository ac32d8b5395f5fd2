import pytest

from articles.models import Article, Section
from moderation.models import Comment
from moderation.services import comment_approve, comment_set_spoiler

pytestmark = pytest.mark.django_db


def url(article: Article) -> str:
    return f"/api/v1/articles/{article.slug}/comments/"


def test_it_saves_a_comment_as_pending_with_its_request_signals(anon_client, article):
    response = anon_client.post(
        url(article),
        {"author_name": "Ann", "author_email": "Ann@Example.org", "body": "Well reported."},
        format="json",
        REMOTE_ADDR="203.0.113.7",
        HTTP_USER_AGENT="Mozilla/5.0 test",
        HTTP_REFERER="https://news.example/metro",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "pending" and body["author_name"] == "Ann"
    assert "author_email" not in body and "ip_address" not in body
    comment = Comment.objects.get(pk=body["id"])
    assert (comment.ip_address, comment.user_agent, comment.referrer) == (
        "203.0.113.7",
        "Mozilla/5.0 test",
        "https://news.example/metro",
    )
    assert comment.author_email == "ann@example.org"
    assert comment.events.get().action == "submitted"


def test_it_ignores_a_forwarded_for_header_it_was_not_told_to_trust(anon_client, article):
    response = anon_client.post(
        url(article),
        {"author_name": "Ann", "body": "Hi"},
        format="json",
        REMOTE_ADDR="203.0.113.7",
        HTTP_X_FORWARDED_FOR="198.51.100.1",
    )
    assert Comment.objects.get(pk=response.json()["id"]).ip_address == "203.0.113.7"


def test_it_keeps_the_readers_spoiler_tag(anon_client, article):
    response = anon_client.post(
        url(article), {"author_name": "Ann", "body": "He dies.", "spoiler": True}, format="json"
    )
    assert response.json()["is_spoiler"] is True
    assert Comment.objects.get().author_spoiler_tag is True


def test_it_answers_success_but_drops_a_filled_honeypot(anon_client, article):
    response = anon_client.post(
        url(article),
        {"author_name": "Bot", "body": "Cheap pills", "website": "http://spam.example"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["id"] is None
    assert not Comment.objects.exists()


def test_it_answers_400_with_field_errors(anon_client, article):
    response = anon_client.post(
        url(article), {"author_name": "", "body": "x" * 5001, "author_email": "nope"}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"author_name", "body", "author_email"}
    assert not Comment.objects.exists()


def test_it_answers_400_for_malformed_json(anon_client, article):
    response = anon_client.post(url(article), "{not json", content_type="application/json")
    assert response.status_code == 400


def test_it_refuses_comments_on_a_closed_article(anon_client, article):
    article.comment_mode = Article.CommentMode.CLOSED
    article.save()
    response = anon_client.post(url(article), {"author_name": "A", "body": "B"}, format="json")
    assert response.status_code == 403
    assert response.json() == {"detail": "Comments are closed on this article."}
    assert not article.comments.exists()


def test_it_answers_404_for_an_unknown_article(anon_client):
    response = anon_client.post(
        "/api/v1/articles/no-such-thing/comments/", {"author_name": "A", "body": "B"}, format="json"
    )
    assert response.status_code == 404
    assert anon_client.get("/api/v1/articles/no-such-thing/comments/").status_code == 404


def test_it_accepts_a_reply_to_a_published_comment_only(anon_client, article, make_comment):
    published = make_comment(status="approved")
    pending = make_comment(status="pending")
    ok = anon_client.post(
        url(article), {"author_name": "A", "body": "Agreed", "parent": published.pk}, format="json"
    )
    assert ok.status_code == 201 and ok.json()["parent"] == published.pk
    refused = anon_client.post(
        url(article), {"author_name": "A", "body": "Agreed", "parent": pending.pk}, format="json"
    )
    assert refused.status_code == 400 and "parent" in refused.json()
    missing = anon_client.post(
        url(article), {"author_name": "A", "body": "Agreed", "parent": 999999}, format="json"
    )
    assert missing.status_code == 400 and "parent" in missing.json()


@pytest.mark.parametrize("kind", ["missing", "another article's", "pending", "spam", "rejected"])
def test_every_parent_a_reply_cannot_have_gets_one_answer(anon_client, article, make_comment, kind):
    if kind == "missing":
        parent = make_comment(status="approved").pk + 1000
    elif kind == "another article's":
        other = Article.objects.create(
            slug="other", title="Other", body="Text.", section=Section.objects.named("X")
        )
        parent = make_comment(article=other, status="approved").pk
    else:
        parent = make_comment(status=kind).pk
    response = anon_client.post(
        url(article), {"author_name": "A", "body": "Agreed", "parent": parent}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "parent": ["You can only reply to a published comment on this article."]
    }


def test_it_lists_only_approved_comments_without_private_fields(anon_client, article, make_comment):
    shown = make_comment(
        status="approved", author_email="a@example.org", ip_address="203.0.113.9", is_spoiler=True
    )
    reply = make_comment(status="approved", parent=shown)
    make_comment(status="pending")
    make_comment(status="spam")
    response = anon_client.get(url(article))
    assert response.status_code == 200
    results = response.json()["results"]
    assert [c["id"] for c in results] == [shown.pk, reply.pk]
    assert results[0]["is_spoiler"] is True and results[1]["parent"] == shown.pk
    assert set(results[0]) == {
        "id",
        "parent",
        "author_name",
        "body",
        "is_spoiler",
        "created_at",
        "author_verified",
        "edited_at",
        "is_deleted",
        "is_editors_pick",
        "recommend_count",
    }
    assert "a@example.org" not in response.content.decode()
    assert "203.0.113.9" not in response.content.decode()


def test_it_pages_the_comments_with_cursors(anon_client, article, make_comment):
    ids = [make_comment(status="approved").pk for _ in range(7)]
    seen, link = [], url(article) + "?page_size=3"
    while link:
        page = anon_client.get(link).json()
        seen += [c["id"] for c in page["results"]]
        link = page["next"]
    assert seen == ids


def test_it_throttles_comment_posts_per_address(anon_client, article, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "comment_submit": "2/minute",
        },
    }
    post = {"author_name": "A", "body": "B"}
    codes = [
        anon_client.post(url(article), post, format="json", REMOTE_ADDR="203.0.113.1").status_code
        for _ in range(3)
    ]
    assert codes == [201, 201, 429]
    other = anon_client.post(url(article), post, format="json", REMOTE_ADDR="203.0.113.2")
    assert other.status_code == 201


def test_a_decision_shows_in_the_list_at_once_though_pages_are_cached(
    anon_client, article, make_comment, moderator, django_capture_on_commit_callbacks
):
    make_comment(body="Published first", status="approved")
    waiting = make_comment(body="Held for a moderator")

    def bodies() -> list[tuple[str, bool]]:
        rows = anon_client.get(url(article)).json()["results"]
        return [(row["body"], row["is_spoiler"]) for row in rows]

    assert bodies() == [("Published first", False)]
    assert bodies() == [("Published first", False)], "served again, from the cache"
    # The cached pages are retired when the decision commits.
    with django_capture_on_commit_callbacks(execute=True):
        comment_approve(comment_id=waiting.pk, actor=moderator)
    assert bodies() == [("Published first", False), ("Held for a moderator", False)]
    with django_capture_on_commit_callbacks(execute=True):
        comment_set_spoiler(comment_id=waiting.pk, actor=moderator, is_spoiler=True)
    assert bodies() == [("Published first", False), ("Held for a moderator", True)]
