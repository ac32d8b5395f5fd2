"""Every endpoint against every kind of caller: anonymous, a reader, a moderator, an editor."""

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from articles.models import CorrectionRequest

pytestmark = pytest.mark.django_db

PUBLIC, MODERATOR, EDITOR = "public", "moderator", "editor"

# (who may call it, method, path with {comment}, {published}, {request} and {slug}, body)
ENDPOINTS = [
    (PUBLIC, "get", "/api/v1/articles/{slug}/comments/", None),
    (PUBLIC, "post", "/api/v1/articles/{slug}/comments/", {"author_name": "A", "body": "B"}),
    (PUBLIC, "post", "/api/v1/comments/{published}/reports/", {"reason": "abuse"}),
    (PUBLIC, "post", "/api/v1/articles/{slug}/correction-requests/", {"suggestion": "Fix"}),
    (MODERATOR, "get", "/api/v1/moderation/queue/", None),
    (MODERATOR, "get", "/api/v1/moderation/comments/{comment}/", None),
    (MODERATOR, "post", "/api/v1/moderation/comments/{comment}/approve/", {}),
    (MODERATOR, "post", "/api/v1/moderation/comments/{comment}/reject/", {}),
    (MODERATOR, "post", "/api/v1/moderation/comments/{comment}/spam/", {}),
    (MODERATOR, "post", "/api/v1/moderation/comments/{comment}/spoiler/", {}),
    (MODERATOR, "post", "/api/v1/moderation/comments/bulk/", {}),
    (EDITOR, "get", "/api/v1/moderation/corrections/", None),
    (EDITOR, "get", "/api/v1/moderation/corrections/{request}/", None),
    (EDITOR, "post", "/api/v1/moderation/corrections/{request}/start/", {}),
    (EDITOR, "post", "/api/v1/moderation/corrections/{request}/resolve/", {}),
    (EDITOR, "post", "/api/v1/moderation/corrections/{request}/reject/", {}),
    (EDITOR, "post", "/api/v1/moderation/corrections/{request}/duplicate/", {}),
    (EDITOR, "get", "/api/v1/moderation/models/", None),
    (EDITOR, "post", "/api/v1/moderation/models/retrain/", {}),
    (EDITOR, "post", "/api/v1/moderation/models/999999/shadow/", {"task": "spam"}),
    (EDITOR, "post", "/api/v1/moderation/models/999999/promote/", {"task": "spam"}),
    (EDITOR, "post", "/api/v1/moderation/models/999999/discard/", {"task": "spam"}),
]

# What each caller gets from an endpoint of each kind; None means "let in" (any 2xx/4xx
# that is not about who they are).
EXPECTED = {
    "anonymous": {PUBLIC: None, MODERATOR: 401, EDITOR: 401},
    "reader": {PUBLIC: None, MODERATOR: 403, EDITOR: 403},
    "moderator": {PUBLIC: None, MODERATOR: None, EDITOR: 403},
    "editor": {PUBLIC: None, MODERATOR: None, EDITOR: None},
}


@pytest.fixture
def clients(anon_client, reader_client, moderator_client, editor_client) -> dict[str, APIClient]:
    return {
        "anonymous": anon_client,
        "reader": reader_client,
        "moderator": moderator_client,
        "editor": editor_client,
    }


@pytest.mark.parametrize("caller", list(EXPECTED))
@pytest.mark.parametrize(("kind", "method", "path", "body"), ENDPOINTS)
def test_the_permission_matrix(clients, caller, kind, method, path, body, article, make_comment):
    comment = make_comment(status="pending")
    published = make_comment(status="approved")
    request = CorrectionRequest.objects.create(
        article=article, article_updated_at=article.updated_at, suggestion="Fix"
    )
    url = path.format(
        slug=article.slug, comment=comment.pk, published=published.pk, request=request.pk
    )
    client = clients[caller]
    response = client.get(url) if method == "get" else client.post(url, body, format="json")
    expected = EXPECTED[caller][kind]
    if expected is None:
        assert response.status_code not in (401, 403), response.content
        assert response.status_code < 500
    else:
        assert response.status_code == expected, response.content
    if expected == 401:
        assert response["WWW-Authenticate"].startswith("Token")


def test_a_superuser_counts_as_an_editor(db):
    root = User.objects.create_superuser("root", password="pw-root")
    client = APIClient()
    client.force_authenticate(root)
    assert client.get("/api/v1/moderation/corrections/").status_code == 200
    assert client.get("/api/v1/moderation/queue/").status_code == 200


def test_an_inactive_moderator_is_refused(moderator, moderator_client):
    moderator.is_active = False
    moderator.save()
    assert moderator_client.get("/api/v1/moderation/queue/").status_code == 401


def test_a_signed_in_moderator_needs_the_csrf_token_to_decide(moderator, make_comment):
    comment = make_comment(status="pending")
    client = APIClient(enforce_csrf_checks=True)
    client.login(username=moderator.username, password="pw-" + moderator.username)
    assert client.get("/api/v1/moderation/queue/").status_code == 200
    response = client.post(
        f"/api/v1/moderation/comments/{comment.pk}/approve/",
        {"expected_status": "pending"},
        format="json",
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
