"""The API's list of an article's comments, served from the cache as stored bytes."""

import os
import uuid

import pytest
import redis
from django.core.cache import caches

from articles.services import article_archive
from moderation.services import comment_apply_scores, comment_reject
from newsroom.cache import ResilientRedisCache

pytestmark = pytest.mark.django_db

CACHE_URL = os.environ.get("CACHE_URL") or "redis://127.0.0.1:6379/12"


def _redis_up() -> bool:
    try:
        return bool(redis.Redis.from_url(CACHE_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


class PrefixedRedisCache(ResilientRedisCache):
    """The production cache, whose clear() (the throttle fixture's) deletes only this
    test's keys: the Redis database may be shared."""

    def clear(self) -> None:
        client = self._cache.get_client(write=True)  # type: ignore[attr-defined]
        for key in client.scan_iter(match=f"{self.key_prefix}:*"):
            client.delete(key)


@pytest.fixture(
    autouse=True,
    params=[
        "per-process cache",
        pytest.param(
            "production Redis cache",
            marks=pytest.mark.skipif(not _redis_up(), reason="no Redis here"),
        ),
    ],
)
def _cache(request, settings):
    """Every test on the development cache and on the production one (one pipeline)."""
    if request.param == "production Redis cache":
        settings.CACHES = {
            "default": {
                "BACKEND": "tests.api.test_comment_list_cache.PrefixedRedisCache",
                "LOCATION": CACHE_URL,
                "KEY_PREFIX": f"list-test-{uuid.uuid4().hex}",
            }
        }
    yield
    if request.param == "production Redis cache":
        caches["default"].clear()  # this test's keys only
    caches.close_all()
    del caches["default"]


def url(article) -> str:
    return f"/api/v1/articles/{article.slug}/comments/"


def bodies(client, article) -> list[str]:
    response = client.get(url(article))
    assert response.status_code == 200
    return [row["body"] for row in response.json()["results"]]


def scores(comment_id: int, spam: float) -> dict:
    return {
        "comment_id": comment_id,
        "spam_score": spam,
        "spoiler_score": 0.01,
        "model_versions": {"spam": "s1", "spoiler": "p1"},
        "explanation": {},
    }


def test_it_serves_a_cached_page_without_touching_the_database(
    anon_client, article, make_comment, django_assert_num_queries
):
    make_comment(body="First", status="approved")
    first = anon_client.get(url(article))
    with django_assert_num_queries(0):
        again = anon_client.get(url(article))
    assert again.status_code == 200
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]


def test_it_answers_304_to_the_etag_it_sent(anon_client, article, make_comment):
    make_comment(body="First", status="approved")
    etag = anon_client.get(url(article))["ETag"]
    unchanged = anon_client.get(url(article), HTTP_IF_NONE_MATCH=etag)
    assert unchanged.status_code == 304
    assert unchanged.content == b""
    assert unchanged["ETag"] == etag
    other = anon_client.get(url(article), HTTP_IF_NONE_MATCH='"something-else"')
    assert other.status_code == 200


def test_a_comment_the_classifier_approves_shows_on_the_next_request(
    anon_client, article, make_comment, django_capture_on_commit_callbacks
):
    make_comment(body="First", status="approved")
    waiting = make_comment(body="Scored next")
    etag = anon_client.get(url(article))["ETag"]
    assert bodies(anon_client, article) == ["First"]
    with django_capture_on_commit_callbacks(execute=True):
        comment_apply_scores(**scores(waiting.pk, spam=0.01))
    assert bodies(anon_client, article) == ["First", "Scored next"]
    assert anon_client.get(url(article), HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_a_rejected_comment_leaves_the_list_on_the_next_request(
    anon_client, article, make_comment, moderator, django_capture_on_commit_callbacks
):
    shown = make_comment(body="Published", status="approved")
    assert bodies(anon_client, article) == ["Published"]
    with django_capture_on_commit_callbacks(execute=True):
        comment_reject(comment_id=shown.pk, actor=moderator, reason_code="off_topic")
    assert bodies(anon_client, article) == []


def test_a_pending_comment_leaves_the_cached_page_in_place(
    anon_client, article, make_comment, django_assert_num_queries
):
    make_comment(body="First", status="approved")
    anon_client.get(url(article))
    created = anon_client.post(url(article), {"author_name": "A", "body": "B"}, format="json")
    assert created.status_code == 201
    with django_assert_num_queries(0):
        assert anon_client.get(url(article)).status_code == 200


def test_an_archived_article_answers_404_at_once(
    anon_client, article, make_comment, django_capture_on_commit_callbacks
):
    make_comment(body="First", status="approved")
    assert bodies(anon_client, article) == ["First"]
    with django_capture_on_commit_callbacks(execute=True):
        article_archive(article_id=article.pk, actor=None)
    assert anon_client.get(url(article)).status_code == 404


def test_a_cached_page_still_counts_against_the_read_limit(
    anon_client, article, make_comment, settings
):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "public_read": "3/minute",
        },
    }
    make_comment(body="First", status="approved")
    codes = [anon_client.get(url(article)).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    refused = anon_client.get(url(article))
    assert int(refused["Retry-After"]) > 0


def test_each_page_of_the_list_is_cached_apart(anon_client, article, make_comment):
    for number in range(3):
        make_comment(body=f"Comment {number}", status="approved")
    first = anon_client.get(url(article), {"page_size": 2}).json()
    second = anon_client.get(first["next"]).json()
    assert [row["body"] for row in first["results"]] == ["Comment 0", "Comment 1"]
    assert [row["body"] for row in second["results"]] == ["Comment 2"]


def test_it_tells_browsers_and_cdns_to_revalidate_by_default(anon_client, article):
    response = anon_client.get(url(article))
    assert response["Cache-Control"] == "public, no-cache"
    assert "Accept-Encoding" in response["Vary"]
    assert response["ETag"].startswith('"')


def test_a_cdn_may_keep_the_list_as_long_as_the_setting_says(anon_client, article, settings):
    settings.COMMENT_LIST_SHARED_MAX_AGE = 5
    response = anon_client.get(url(article))
    assert response["Cache-Control"] == "public, max-age=0, s-maxage=5"
    anon_client.get(url(article))
    cached = anon_client.get(url(article))
    assert cached["Cache-Control"] == "public, max-age=0, s-maxage=5"


def test_a_cached_page_carries_the_headers_the_first_answer_had(anon_client, article):
    first = anon_client.get(url(article))
    cached = anon_client.get(url(article))
    assert "X-Frame-Options" in first
    assert "X-Content-Type-Options" in first
    per_request = ("X-Request-ID",)
    assert {k: v for k, v in cached.headers.items() if k not in per_request} == {
        k: v for k, v in first.headers.items() if k not in per_request
    }
    assert cached["Content-Type"] == "application/json"
    assert "Set-Cookie" not in cached
