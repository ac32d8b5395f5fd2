"""CSRF is enforced on every form: every POST form carries the token, and a signed-in
person's POST without it is refused wherever it is sent."""

import re

import pytest
from django.test import Client

from tests.security.conftest import Route, admin_urls, project_routes

_FORM = re.compile(r"<form\b[^>]*>.*?</form>", re.S | re.I)
_POST = re.compile(r"method\s*=\s*[\"']?post", re.I)


def _post_forms_without_token(client, paths):
    missing = []
    for path in paths:
        response = client.get(path)
        for form in _FORM.findall(response.content.decode(errors="replace")):
            opening = form.split(">", 1)[0]
            if _POST.search(opening) and "csrfmiddlewaretoken" not in form:
                missing.append((path, opening))
    return missing


@pytest.mark.django_db
def test_every_post_form_carries_the_csrf_token(client, editor, route_values, private_data):
    pages = [r.path for r in project_routes(route_values) if not r.is_api]
    assert _post_forms_without_token(client, [*pages, "/admin/login/"]) == []
    editor.is_superuser = True
    editor.save()
    client.force_login(editor)
    assert _post_forms_without_token(client, pages + admin_urls({})) == []


def _post(client: Client, route: Route) -> int:
    data = {"body": "x", "author_name": "y", "action": "delete_selected"}
    if route.is_api:
        return client.post(route.path, data, content_type="application/json").status_code
    return client.post(route.path, data).status_code


@pytest.mark.django_db
def test_a_post_without_the_token_never_acts_as_the_signed_in_person(
    editor, route_values, private_data
):
    """A signed-in editor's POST without the token is refused wherever identity matters.

    Public endpoints that treat every caller as anonymous (the API's comment form) may
    accept it: a forged cross-site POST there gains nothing a stranger doesn't have.
    """
    signed_in = Client(enforce_csrf_checks=True)
    signed_in.force_login(editor)
    anonymous = Client(enforce_csrf_checks=True)
    routes = project_routes(route_values) + [Route(p, "admin") for p in admin_urls({})]
    accepted = []
    for route in routes:
        status = _post(signed_in, route)
        if status in (403, 405):
            continue
        if _post(anonymous, route) in (401, 403) or route.path.startswith("/admin/"):
            accepted.append((route.path, status))
    assert accepted == []


@pytest.mark.django_db
def test_the_admin_login_refuses_a_post_without_the_token(editor):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/admin/login/", {"username": "bob", "password": "pw-bob"})
    assert response.status_code == 403
