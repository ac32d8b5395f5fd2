"""`make run`'s account: an editor who can work the whole desk, and no superuser."""

import io
import re

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from moderation.roles import EDITORS
from tests.desk import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _own_var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path


def _ensure_editor() -> str:
    """Run the command as `make run` does; the password it prints."""
    out = io.StringIO()
    call_command("ensure_editor", stdout=out)
    match = re.search(r"password “(.+)”", out.getvalue())
    assert match, out.getvalue()
    return match.group(1)


def _signed_in_as_printed() -> Client:
    password = _ensure_editor()
    client = Client()
    assert client.login(username="editor", password=password)
    return client


def test_it_creates_an_editor_who_is_no_superuser():
    _ensure_editor()
    user = User.objects.get(username="editor")
    assert (user.is_staff, user.is_superuser) == (True, False)
    assert list(user.groups.values_list("name", flat=True)) == [EDITORS]


def test_it_turns_a_superuser_left_by_an_earlier_run_into_an_editor():
    first = _ensure_editor()
    User.objects.filter(username="editor").update(is_superuser=True)
    assert _ensure_editor() == first, "the same password, printed again"
    assert User.objects.get(username="editor").is_superuser is False


def test_the_printed_account_works_every_desk_page(article, make_comment):
    factories.classifier_model("spam")
    comment = make_comment(author_email="reader@example.org")
    client = _signed_in_as_printed()
    for page in (
        "/admin/",
        "/admin/moderation/comment/",
        f"/admin/moderation/comment/{comment.pk}/change/",
        "/admin/articles/correctionrequest/",
        "/admin/moderation/classifiermodel/",
        "/admin/moderation/classifiermodel/task/spoiler/",
    ):
        response = client.get(page, follow=True)
        assert response.status_code == 200, page
        assert "/login/" not in response.request["PATH_INFO"], page
    export = client.post(
        "/admin/moderation/comment/",
        {"action": "export_commenter_data", "index": "0", ACTION_CHECKBOX_NAME: [comment.pk]},
    )
    assert export.status_code == 200
    assert export.json()["commenters"][0]["email"] == "reader@example.org"
    erase = client.post(
        "/admin/moderation/comment/",
        {"action": "erase_commenter_data", "index": "0", ACTION_CHECKBOX_NAME: [comment.pk]},
    )
    assert erase.status_code == 200 and "reader@example.org" in erase.content.decode()


def test_the_printed_account_cannot_manage_users_or_read_api_tokens():
    client = _signed_in_as_printed()
    assert client.get("/admin/auth/user/").status_code == 403
    assert client.get("/admin/authtoken/tokenproxy/").status_code == 403
    assert "/admin/auth/user/" not in client.get("/admin/").content.decode()
