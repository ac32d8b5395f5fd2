"""Script and HTML in every reader field are shown as text: on every page, in the admin, in
the API. (tests/browser/test_payloads_never_run.py checks in Chromium that none runs.)"""

import json

import pytest

from articles.models import CorrectionRequest
from moderation.models import Comment, CommentReport
from tests.security.conftest import admin_urls, project_routes

PAYLOAD = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2"><b>bold</b>'
ATTRIBUTE_PAYLOAD = '"><svg onload=window.__xss=3>'
RAW_MARKERS = ("<script>window.__xss", "<img src=x onerror", "<svg onload", "<b>bold</b>")


@pytest.fixture
def hostile(article, make_comment) -> dict[str, object]:
    comment = make_comment(
        body=PAYLOAD,
        author_name=ATTRIBUTE_PAYLOAD + PAYLOAD[:40],
        status=Comment.Status.APPROVED,
        user_agent=PAYLOAD,
        referrer="javascript:window.__xss=4",
        explanation={"spam": [{"feature": PAYLOAD, "weight": 1.0}]},
    )
    spoiler = make_comment(
        body=PAYLOAD + " spoiler", status=Comment.Status.APPROVED, is_spoiler=True
    )
    make_comment(body=PAYLOAD + " reply", parent=comment, status=Comment.Status.APPROVED)
    make_comment(body=PAYLOAD + " pending", status=Comment.Status.PENDING)
    CommentReport.objects.create(comment=comment, reason="other", text=PAYLOAD)
    request = CorrectionRequest.objects.create(
        article=article,
        article_updated_at=article.updated_at,
        quote=PAYLOAD,
        prefix=ATTRIBUTE_PAYLOAD,
        suffix=PAYLOAD,
        paragraph_text=PAYLOAD,
        suggestion=PAYLOAD,
        note=PAYLOAD,
    )
    return {"comment": comment, "spoiler": spoiler, "request": request}


def _raw_markup(client, paths):
    found = []
    for path in paths:
        response = client.get(path)
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        text = response.content.decode(errors="replace")
        found += [(path, marker) for marker in RAW_MARKERS if marker in text]
    return found


@pytest.fixture
def values(article, hostile) -> dict[str, str]:
    pk = str(hostile["comment"].pk)
    return {"slug": article.slug, "pk": pk, "id": pk, "comment_id": pk}


@pytest.mark.django_db
def test_reader_pages_show_payloads_as_text(client, values, hostile):
    pages = [r.path for r in project_routes(values) if not r.is_api]
    assert _raw_markup(client, pages) == []
    article_page = client.get(f"/articles/{values['slug']}/").content.decode()
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in article_page


@pytest.mark.django_db
def test_the_admin_shows_payloads_as_text(client, editor, hostile):
    editor.is_superuser = True
    editor.save()
    client.force_login(editor)
    assert _raw_markup(client, admin_urls({type(hostile["comment"]): hostile["comment"]})) == []
    change = client.get(f"/admin/moderation/comment/{hostile['comment'].pk}/change/")
    assert change.status_code == 200
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in change.content.decode()


@pytest.mark.django_db
def test_the_api_returns_payloads_as_json_strings(client, moderator, values, hostile):
    client.force_login(moderator)
    for route in [r for r in project_routes(values) if r.is_api]:
        response = client.get(route.path)
        if response.status_code != 200 or response["Content-Type"].startswith("text/html"):
            continue  # HTML under /api/ (the docs page) is checked below with the pages
        # JSON is never served as HTML, and browsers may not sniff it into HTML.
        assert response["Content-Type"].startswith("application/"), route.path
        assert response["X-Content-Type-Options"] == "nosniff"
        if response["Content-Type"].startswith("application/json"):
            json.loads(response.content)
    assert _raw_markup(client, [r.path for r in project_routes(values) if r.is_api]) == []
