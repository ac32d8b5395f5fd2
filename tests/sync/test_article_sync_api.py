"""A CMS keeps its articles in step: PUT upserts, DELETE archives."""

import json

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from articles.models import Article, CorrectionRequest, Site
from articles.services import correction_request_submit
from moderation.roles import PUBLISHERS, ensure_role
from tests.sync.conftest import token_client

pytestmark = pytest.mark.django_db

URL = "/api/v1/articles/{}/"
STORY = {
    "title": "Tram line 4 extended",
    "standfirst": "Two new stops.",
    "body": "<p>The line reaches the river.</p><p>Trams run every <b>ten</b> minutes.</p>",
    "body_format": "html",
    "url": "https://www.example.com/city/tram-4",
    "section": "City",
    "language": "uk",
    "published_at": "2026-11-20T08:00:00Z",
    "comment_mode": "premoderated",
    "author": "Oksana Writer",
}


def test_it_creates_the_article_with_its_text_in_paragraphs(cms, site) -> None:
    response = cms.put(URL.format("cms-801"), STORY, format="json")
    assert response.status_code == 201, response.json()
    article = Article.objects.get(site=site, external_id="cms-801")
    assert article.paragraphs == ["The line reaches the river.", "Trams run every ten minutes."]
    assert (article.title, article.url, article.language) == (
        "Tram line 4 extended",
        "https://www.example.com/city/tram-4",
        "uk",
    )
    assert article.section.name == "City"
    assert article.comment_mode == "premoderated"
    assert response.json()["slug"] == "tram-line-4-extended"


def test_the_same_call_twice_changes_nothing(cms, site) -> None:
    cms.put(URL.format("cms-801"), STORY, format="json")
    before = Article.objects.get(external_id="cms-801").updated_at
    again = cms.put(URL.format("cms-801"), STORY, format="json")
    assert again.status_code == 200
    assert again.json()["changed"] == []
    assert Article.objects.filter(site=site).count() == 1
    assert Article.objects.get(external_id="cms-801").updated_at == before


def test_an_update_changes_only_what_it_names(cms) -> None:
    cms.put(URL.format("cms-801"), STORY, format="json")
    response = cms.put(
        URL.format("cms-801"),
        {
            "title": "Tram line 4 extended to the river",
            "body": STORY["body"],
            "body_format": "html",
        },
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["changed"] == ["title"]
    article = Article.objects.get(external_id="cms-801")
    assert article.comment_mode == "premoderated"  # left out: unchanged
    assert article.section.name == "City"


def test_a_changed_body_keeps_correction_requests_on_the_text_the_reader_saw(cms) -> None:
    cms.put(URL.format("cms-801"), STORY, format="json")
    article = Article.objects.get(external_id="cms-801")
    request = correction_request_submit(
        article=article, suggestion="Every twelve minutes.", quote="every ten minutes"
    )
    changed = {**STORY, "body": "<p>The line reaches the river.</p><p>Trams run often.</p>"}
    assert cms.put(URL.format("cms-801"), changed, format="json").status_code == 200
    request = CorrectionRequest.objects.get(pk=request.pk)
    article.refresh_from_db()
    assert article.paragraphs[1] == "Trams run often."
    assert request.paragraph_text == "Trams run every ten minutes."
    assert article.updated_at > request.article_updated_at


def test_delete_archives_and_keeps_the_article(cms, publisher) -> None:
    cms.put(URL.format("cms-801"), STORY, format="json")
    assert cms.delete(URL.format("cms-801")).status_code == 204
    article = Article.objects.get(external_id="cms-801")
    assert article.archived_at is not None
    assert article.archived_by == publisher
    assert cms.delete(URL.format("cms-999")).status_code == 404


def test_a_publisher_listed_on_two_sites_names_one(cms, publisher) -> None:
    other = Site.objects.create(name="Evening Example", slug="evening")
    other.publishers.add(publisher)
    refused = cms.put(URL.format("cms-801"), STORY, format="json")
    assert refused.status_code == 400
    assert "?site=" in refused.json()["site"][0]
    assert cms.put(URL.format("cms-801") + "?site=evening", STORY, format="json").status_code == 201
    assert Article.objects.get(external_id="cms-801").site == other


def test_a_site_the_publisher_does_not_publish_for_is_refused(cms) -> None:
    Site.objects.create(name="Someone else's", slug="elsewhere")
    for slug in ("elsewhere", "no-such-site"):
        refused = cms.put(URL.format("cms-801") + f"?site={slug}", STORY, format="json")
        assert refused.status_code == 403
        assert slug in refused.json()["detail"]
    assert not Article.objects.exists()


def test_the_same_external_id_on_two_sites_is_two_articles(cms, publisher, site) -> None:
    other = Site.objects.create(name="Evening Example", slug="evening")
    other.publishers.add(publisher)
    cms.put(URL.format("cms-801") + "?site=daily-example", STORY, format="json")
    cms.put(URL.format("cms-801") + "?site=evening", STORY, format="json")
    assert sorted(Article.objects.values_list("site__slug", flat=True)) == [
        "daily-example",
        "evening",
    ]


def test_who_may_sync(site, editor) -> None:
    assert APIClient().put(URL.format("a"), STORY, format="json").status_code == 401
    # An editor is not a CMS.
    assert token_client(editor).put(URL.format("a"), STORY, format="json").status_code == 403
    # A publisher of no site.
    lonely = User.objects.create_user(username="lonely")
    lonely.groups.add(ensure_role(PUBLISHERS))
    refused = token_client(lonely).put(URL.format("a"), STORY, format="json")
    assert refused.status_code == 403
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"body": "<p>Hi</p><script>steal()</script>"}, "body"),
        ({"body": '<p onmouseover="steal()">Hi</p>'}, "body"),
        ({"body": "x" * 100_001, "body_format": "text"}, "body"),
        ({"title": ""}, "title"),
        ({"language": "klingon"}, "language"),
        ({"comment_mode": "sometimes"}, "comment_mode"),
        ({"published_at": "last tuesday"}, "published_at"),
        ({"url": "not a url"}, "url"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_nothing_is_written(
    cms, change: dict, field: str
) -> None:
    response = cms.put(URL.format("cms-801"), {**STORY, **change}, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Article.objects.exists()


def test_a_request_over_the_size_limit_is_refused_before_it_is_read(cms, settings) -> None:
    too_big = {**STORY, "body": "x" * (settings.REQUEST_BODY_MAX_BYTES + 1)}
    assert cms.put(URL.format("cms-801"), too_big, format="json").status_code == 413
    assert not Article.objects.exists()


def test_malformed_json_is_a_400(cms) -> None:
    response = cms.generic(
        "PUT", URL.format("cms-801"), '{"title": "x",', content_type="application/json"
    )
    assert response.status_code == 400
    assert "JSON parse error" in json.dumps(response.json())
    assert not Article.objects.exists()


def test_an_external_id_with_a_space_names_no_endpoint(cms) -> None:
    response = cms.put("/api/v1/articles/two%20words/", STORY, format="json")
    assert response.status_code == 404
    assert not Article.objects.exists()


def test_the_sync_calls_are_in_the_openapi_schema() -> None:
    schema = APIClient().get("/api/schema/?format=json").json()
    operations = schema["paths"]["/api/v1/articles/{external_id}/"]
    assert operations["put"]["operationId"] == "articles_sync_upsert"
    assert operations["delete"]["operationId"] == "articles_sync_archive"
