"""What embed.js asks first, and the CORS answers: only to the pages a site lists."""

import json

import pytest
from django.contrib.sessions.models import Session
from django.test import RequestFactory, override_settings

from articles.models import Article
from articles.reader_session import OWN_COMMENTS_COOKIE, own_comment_ids
from tests.embed.conftest import COURIER_ORIGIN, STRANGER_ORIGIN, from_page

ARTICLE_URL = "/api/v1/embed/articles/cms-1001/"


def test_it_answers_a_page_of_the_site_with_the_article_and_its_texts(client, embedded):
    response = client.get(ARTICLE_URL, **from_page())

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == COURIER_ORIGIN
    assert "Access-Control-Allow-Credentials" not in response
    assert "origin" in response["Vary"].lower()
    body = response.json()
    assert body["article"]["slug"] == embedded.slug
    assert body["article"]["paragraphs"][1] == "Repairs took eight months."
    assert body["endpoints"]["comments"] == f"/api/v1/articles/{embedded.slug}/comments/"
    assert body["endpoints"]["report"] == "/api/v1/comments/{id}/reports/"
    assert body["strings"]["heading"] == "Comments ({count})"
    assert {"value": "spam", "label": "Spam or advertising"} in body["report_reasons"]
    assert body["site"] == {"name": "The Riverside Courier", "allow_anonymous": True}
    assert "Set-Cookie" not in response


def test_a_page_the_site_does_not_list_gets_no_cors_and_a_403(client, embedded):
    response = client.get(ARTICLE_URL, **from_page(STRANGER_ORIGIN))

    assert response.status_code == 403
    assert "Access-Control-Allow-Origin" not in response
    assert "No site lists this page's origin" in response.json()["detail"]


def test_a_call_without_an_origin_is_refused(client, embedded):
    assert client.get(ARTICLE_URL).status_code == 403


def test_a_listed_page_may_preflight_a_signed_in_post(client, embedded):
    response = client.options(
        f"/api/v1/articles/{embedded.slug}/comments/",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type",
        **from_page(),
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == COURIER_ORIGIN
    assert "authorization" in response["Access-Control-Allow-Headers"]
    assert "POST" in response["Access-Control-Allow-Methods"]


def test_a_stranger_page_may_not_preflight(client, embedded):
    response = client.options(
        f"/api/v1/articles/{embedded.slug}/comments/",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        **from_page(STRANGER_ORIGIN),
    )
    assert "Access-Control-Allow-Origin" not in response


@pytest.mark.parametrize(
    "path", ["/api/v1/moderation/queue/", "/api/v1/moderation/corrections/", "/admin/"]
)
def test_the_desk_never_answers_another_origin_even_a_listed_one(client, courier, path):
    assert "Access-Control-Allow-Origin" not in client.get(path, **from_page())


def test_an_unknown_article_says_whether_the_page_may_create_it(client, courier):
    answer = client.get("/api/v1/embed/articles/cms-404/", **from_page())
    assert (answer.status_code, answer.json()["can_create"]) == (404, False)
    assert answer["Access-Control-Allow-Origin"] == COURIER_ORIGIN

    courier.auto_create_articles = True
    courier.save()
    assert client.get("/api/v1/embed/articles/cms-404/", **from_page()).json()["can_create"]


def _create(client, origin=COURIER_ORIGIN, **fields):
    data = {
        "external_id": "cms-2002",
        "url": f"{COURIER_ORIGIN}/2026/11/new-ferry",
        "title": "A new ferry for the Dnipro",
        "body": "The ferry sails on Monday.\n\nIt carries 200 people.",
    } | fields
    return client.post(
        "/api/v1/embed/articles/",
        data=json.dumps(data),
        content_type="application/json",
        **from_page(origin),
    )


def test_an_id_longer_than_any_article_has_is_a_400(client, courier):
    response = client.get(f"/api/v1/embed/articles/{'x' * 201}/", **from_page())
    assert response.status_code == 400
    assert "external_id" in response.json()


def test_an_unknown_article_is_created_from_the_page_once(client, courier):
    courier.auto_create_articles = True
    courier.save()

    first = _create(client)
    again = _create(client, title="Someone else's title")

    assert (first.status_code, again.status_code) == (201, 200)
    article = Article.objects.get(site=courier, external_id="cms-2002")
    assert (article.title, article.url) == (
        "A new ferry for the Dnipro",
        f"{COURIER_ORIGIN}/2026/11/new-ferry",
    )
    assert article.paragraphs == ["The ferry sails on Monday.", "It carries 200 people."]
    assert first.json()["article"]["slug"] == again.json()["article"]["slug"] == article.slug


def test_a_site_that_does_not_create_articles_refuses_the_page(client, courier):
    assert _create(client).status_code == 404
    assert not Article.objects.filter(external_id="cms-2002").exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"url": "https://elsewhere.example/copied-page"}, "url"),
        ({"url": "not a url"}, "url"),
        ({"title": ""}, "title"),
        ({"external_id": "x" * 300}, "external_id"),
    ],
)
def test_a_page_with_bad_fields_creates_nothing(client, courier, fields, field):
    courier.auto_create_articles = True
    courier.save()
    response = _create(client, **fields)
    assert response.status_code == 400
    assert field in response.json()
    assert not Article.objects.filter(site=courier, external_id__startswith="cms-2002").exists()


def test_malformed_json_is_a_400_with_cors_so_the_page_can_read_it(client, courier):
    courier.auto_create_articles = True
    courier.save()
    response = client.post(
        "/api/v1/embed/articles/", data="{not json", content_type="application/json", **from_page()
    )
    assert response.status_code == 400
    assert response["Access-Control-Allow-Origin"] == COURIER_ORIGIN


@override_settings(REQUEST_BODY_MAX_BYTES=1000)
def test_a_body_over_the_limit_is_a_413_the_page_can_read(client, courier):
    courier.auto_create_articles = True
    courier.save()
    response = _create(client, body="x" * 2000)
    assert response.status_code == 413
    assert response["Access-Control-Allow-Origin"] == COURIER_ORIGIN
    assert not Article.objects.filter(external_id="cms-2002").exists()


def test_an_origin_two_sites_list_needs_the_sites_name(client, embedded, gazette):
    gazette.allowed_origins = [COURIER_ORIGIN]
    gazette.save()
    assert "Several sites" in client.get(ARTICLE_URL, **from_page()).json()["detail"]
    named = client.get(f"{ARTICLE_URL}?site={embedded.site.slug}", **from_page())
    assert named.status_code == 200
    assert client.get(f"{ARTICLE_URL}?site=gazette", **from_page()).status_code == 404


def test_a_page_of_one_site_cannot_read_another_sites_article(client, embedded, gazette):
    response = client.get(ARTICLE_URL, **from_page("https://gazette.example"))
    assert response.status_code == 404


def test_a_site_that_lists_a_page_later_answers_it_at_once(client, embedded):
    newcomer = "https://new.courier.example"
    assert client.get(ARTICLE_URL, **from_page(newcomer)).status_code == 403
    site = embedded.site
    site.allowed_origins = [*site.allowed_origins, newcomer]
    site.save()
    assert client.get(ARTICLE_URL, **from_page(newcomer)).status_code == 200
    site.allowed_origins = [COURIER_ORIGIN]
    site.save()
    assert client.get(ARTICLE_URL, **from_page(newcomer)).status_code == 403


def test_a_cached_comment_page_answers_each_page_with_its_own_cors(
    client, embedded, django_assert_num_queries
):
    """The cached list is sent before the views run: the CORS answer must still be the
    asking page's, never the one the first answer carried."""
    url = f"/api/v1/articles/{embedded.slug}/comments/"
    first = client.get(url, **from_page())
    with django_assert_num_queries(0):  # served from the cache
        again = client.get(url, **from_page())
    stranger = client.get(url, **from_page(STRANGER_ORIGIN))
    assert first.status_code == again.status_code == 200
    assert again.content == first.content
    assert again["Access-Control-Allow-Origin"] == COURIER_ORIGIN
    assert "Access-Control-Allow-Origin" not in stranger
    assert "origin" in again["Vary"].lower()


def test_a_comment_from_a_listed_page_is_not_remembered(client, embedded):
    # The page's fetch carries no cookies and its browser drops ours: nothing to remember.
    response = client.post(
        f"/api/v1/articles/{embedded.slug}/comments/",
        data=json.dumps({"author_name": "Olena", "body": "Good to see the trains back."}),
        content_type="application/json",
        **from_page(),
    )
    assert response.status_code == 201
    assert response["Access-Control-Allow-Origin"] == COURIER_ORIGIN
    assert OWN_COMMENTS_COOKIE not in response.cookies
    assert "sessionid" not in response.cookies
    assert not Session.objects.exists()


def test_a_comment_posted_from_our_own_pages_origin_is_remembered(client, embedded):
    response = client.post(
        f"/api/v1/articles/{embedded.slug}/comments/",
        data=json.dumps({"author_name": "Olena", "body": "Good to see the trains back."}),
        content_type="application/json",
        HTTP_ORIGIN="http://testserver",
    )
    assert response.status_code == 201
    # In a signed cookie of its own: posting costs no session row.
    remembered = response.cookies[OWN_COMMENTS_COOKIE]
    assert remembered["httponly"]
    request = RequestFactory().get("/")
    request.COOKIES[OWN_COMMENTS_COOKIE] = remembered.value
    assert own_comment_ids(request) == [response.json()["id"]]
    assert not Session.objects.exists()
