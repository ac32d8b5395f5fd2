"""CSRF is enforced on every form: every POST form carries the token, and a signed-in
person's POST without it is refused wherever it is sent."""

import re

import pytest
from django.test import Client

from tests.security.conftest import admin_urls, project_routes

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


@pytest.mark.django_db
def test_a_post_without_the_token_is_refused_everywhere(editor, route_values, private_data):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    accepted = []
    for path in [r.path for r in project_routes(route_values)] + admin_urls({}):
        response = client.post(path, {"body": "x", "author_name": "y", "action": "delete_selected"})
        if response.status_code not in (403, 405):
            accepted.append((path, response.status_code))
    assert accepted == []


@pytest.mark.django_db
def test_the_admin_login_refuses_a_post_without_the_token(editor):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/admin/login/", {"username": "bob", "password": "pw-bob"})
    assert response.status_code == 403
