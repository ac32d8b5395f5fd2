"""Staff endpoints refuse everyone else; a moderator cannot reach editor endpoints."""

import pytest
from django.contrib import admin

from articles.models import Correction, CorrectionRequest
from moderation.models import ClassifierModel
from tests.security.conftest import admin_urls, project_routes

STAFF_API_PREFIX = "/api/v1/moderation/"
EDITOR_API_PREFIXES = ("/api/v1/moderation/corrections", "/api/v1/moderation/models")
EDITOR_MODELS = (CorrectionRequest, Correction, ClassifierModel)


def _refused(response) -> bool:
    if response.status_code in (401, 403):
        return True
    return response.status_code == 302 and "/login/" in response["Location"]


def _staff_api(route_values):
    return [r for r in project_routes(route_values) if r.path.startswith(STAFF_API_PREFIX)]


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "stranger"])
def test_staff_endpoints_refuse_readers(client, who, request, route_values, private_data):
    if who == "stranger":
        client.force_login(request.getfixturevalue("stranger"))
    reached = []
    for path in admin_urls({}) + [r.path for r in _staff_api(route_values)]:
        for method in ("get", "post"):
            response = getattr(client, method)(path)
            if not _refused(response):
                reached.append((method, path, response.status_code))
    assert reached == []


@pytest.mark.django_db
def test_a_moderator_cannot_reach_editor_endpoints(client, moderator, route_values, private_data):
    client.force_login(moderator)
    paths = [
        f"/admin/{m._meta.app_label}/{m._meta.model_name}/"
        for m in EDITOR_MODELS
        if m in admin.site._registry
    ]
    paths += [r.path for r in _staff_api(route_values) if r.path.startswith(EDITOR_API_PREFIXES)]
    assert paths
    reached = []
    for path in paths:
        for method in ("get", "post"):
            response = getattr(client, method)(path)
            if response.status_code not in (403, 404) and not _refused(response):
                reached.append((method, path, response.status_code))
    assert reached == []


@pytest.mark.django_db
def test_a_moderator_reaches_the_comment_queue(client, moderator, private_data):
    client.force_login(moderator)
    assert client.get("/admin/moderation/comment/", follow=True).status_code == 200
