"""A commenter's data can be exported and erased by an editor; IPs go after retention."""

import json
from datetime import timedelta

import pytest
from django.contrib.admin.sites import AdminSite
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.management import CommandError, call_command
from django.db.models import ProtectedError
from django.test import RequestFactory
from django.utils import timezone

from articles.models import CorrectionRequest
from moderation.admin import CommentAdmin
from moderation.admin.privacy import erase_commenter_data, export_commenter_data
from moderation.models import Comment, CommentReport, CommentRevision, ModerationEvent
from moderation.privacy import (
    ERASED_BODY,
    ERASED_NAME,
    commenter_data_erase,
    commenter_data_export,
    ips_purge,
)
from moderation.services import comment_approve, comment_submit
from tests.security.conftest import REQUEST_EMAIL, SECRET_EMAIL, SECRET_IP


@pytest.fixture
def other_reader(make_comment) -> Comment:
    return make_comment(
        body="Another reader's view.", author_email="other@example.org", ip_address="192.0.2.9"
    )


def test_it_exports_everything_stored_about_a_commenter(private_data, other_reader):
    data = commenter_data_export(email="  Secret.Reader@Example.org ")
    assert data["email"] == SECRET_EMAIL
    assert [c["id"] for c in data["comments"]] == [
        private_data["comment"].pk,
        private_data["reply"].pk,
    ]
    first = data["comments"][0]
    assert first["ip_address"] == SECRET_IP and first["user_agent"] == "Mozilla/5.0"
    assert first["body"] == private_data["comment"].body
    assert other_reader.body not in json.dumps(data)
    assert commenter_data_export(email=REQUEST_EMAIL)["correction_requests"][0]["suggestion"]


def test_it_erases_a_commenter_and_keeps_the_threads_and_audit_trail(
    private_data, other_reader, editor
):
    result = commenter_data_erase(email=SECRET_EMAIL, actor=editor)

    assert result.comments == 2
    comment = Comment.objects.get(pk=private_data["comment"].pk)
    assert (comment.author_name, comment.body, comment.author_email) == (
        ERASED_NAME,
        ERASED_BODY,
        "",
    )
    assert comment.ip_address is None and comment.user_agent == "" and comment.explanation == {}
    assert Comment.objects.get(pk=private_data["reply"].pk).parent_id == comment.pk
    event = ModerationEvent.objects.filter(comment=comment).last()
    assert (event.action, event.actor) == ("erased", editor)
    other_reader.refresh_from_db()
    assert other_reader.author_email == "other@example.org"
    assert commenter_data_export(email=SECRET_EMAIL)["comments"] == []
    assert commenter_data_erase(email=SECRET_EMAIL, actor=editor).comments == 0


def test_the_texts_before_an_authors_edit_are_exported_and_erased(private_data, editor):
    comment = private_data["comment"]
    CommentRevision.objects.create(
        comment=comment, body="My first, hasty words.", written_at=comment.created_at
    )

    exported = commenter_data_export(email=SECRET_EMAIL)["comments"][0]["earlier_texts"]
    commenter_data_erase(email=SECRET_EMAIL, actor=editor)

    assert [text["body"] for text in exported] == ["My first, hasty words."]
    assert not CommentRevision.objects.filter(comment=comment).exists()


def test_erasure_keeps_every_event_of_the_trail_and_the_trail_cannot_be_deleted(
    article, moderator, editor
):
    comment = comment_submit(
        article=article, author_name="Secret", author_email=SECRET_EMAIL, body="Nine months?"
    )
    comment_approve(comment_id=comment.pk, actor=moderator)
    trail = list(ModerationEvent.objects.filter(comment=comment).values_list("pk", "action"))
    assert [action for _, action in trail] == ["submitted", "approved"]

    commenter_data_erase(email=SECRET_EMAIL, actor=editor)

    after = list(ModerationEvent.objects.filter(comment=comment).values_list("pk", "action"))
    assert after[:2] == trail and [action for _, action in after[2:]] == ["erased"]
    comment.refresh_from_db()
    assert (comment.author_name, comment.body) == (ERASED_NAME, ERASED_BODY)
    # Erasure is how a commenter's words leave; a delete would take the trail with them.
    with pytest.raises(ProtectedError):
        comment.delete()
    assert ModerationEvent.objects.filter(comment=comment).count() == 3


def test_it_erases_the_email_and_ip_of_correction_requests(private_data, editor):
    assert commenter_data_erase(email=REQUEST_EMAIL, actor=editor).correction_requests == 1
    request = CorrectionRequest.objects.get(pk=private_data["request"].pk)
    assert request.email == "" and request.ip_address is None


def test_it_refuses_something_that_is_not_an_email(db):
    with pytest.raises(ValueError):
        commenter_data_erase(email="everyone", actor=None)


def test_it_drops_ips_older_than_the_retention_period(private_data, settings):
    settings.IP_RETENTION_DAYS = 30
    old = timezone.now() - timedelta(days=31)
    Comment.objects.filter(pk=private_data["comment"].pk).update(created_at=old)
    CommentReport.objects.filter(pk=private_data["report"].pk).update(created_at=old)
    CorrectionRequest.objects.filter(pk=private_data["request"].pk).update(created_at=old)

    result = ips_purge()

    assert (result.comments, result.reports, result.correction_requests) == (1, 1, 1)
    assert Comment.objects.get(pk=private_data["comment"].pk).ip_address is None
    assert Comment.objects.get(pk=private_data["reply"].pk).ip_address == SECRET_IP


def test_the_commands_export_erase_and_purge(private_data, editor, tmp_path, capsys):
    out = tmp_path / "export.json"
    call_command("export_commenter_data", "--email", SECRET_EMAIL, "--output", str(out))
    assert len(json.loads(out.read_text())["comments"]) == 2

    call_command("erase_commenter_data", "--email", SECRET_EMAIL, "--editor", "bob", "--yes")
    assert "Erased 2 comments" in capsys.readouterr().out
    assert not Comment.objects.filter(author_email=SECRET_EMAIL).exists()

    call_command("purge_old_ips", "--days", "0")
    assert not Comment.objects.filter(ip_address__isnull=False).exists()


def test_only_an_editor_may_erase_from_the_command_line(private_data, moderator):
    with pytest.raises(CommandError, match="not an editor"):
        call_command("erase_commenter_data", "--email", SECRET_EMAIL, "--editor", "alice", "--yes")
    assert Comment.objects.filter(author_email=SECRET_EMAIL).count() == 2


def _admin_request(user, data=None):
    request = RequestFactory().post("/admin/moderation/comment/", data or {})
    request.user = user
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_the_admin_actions_export_and_erase_for_an_editor(private_data, editor):
    model_admin = CommentAdmin(Comment, AdminSite())
    selected = Comment.objects.filter(pk=private_data["comment"].pk)

    download = export_commenter_data(model_admin, _admin_request(editor), selected)
    assert download["Content-Disposition"].startswith("attachment")
    assert json.loads(download.content)["commenters"][0]["email"] == SECRET_EMAIL

    confirm = erase_commenter_data(model_admin, _admin_request(editor), selected)
    assert confirm.status_code == 200 and SECRET_EMAIL in confirm.rendered_content
    assert Comment.objects.filter(author_email=SECRET_EMAIL).count() == 2

    erase_commenter_data(model_admin, _admin_request(editor, {"confirm": "yes"}), selected)
    assert not Comment.objects.filter(author_email=SECRET_EMAIL).exists()


def test_the_admin_actions_refuse_a_moderator(private_data, moderator):
    model_admin = CommentAdmin(Comment, AdminSite())
    selected = Comment.objects.filter(pk=private_data["comment"].pk)
    assert export_commenter_data(model_admin, _admin_request(moderator), selected) is None
    erase_commenter_data(model_admin, _admin_request(moderator, {"confirm": "yes"}), selected)
    assert Comment.objects.filter(author_email=SECRET_EMAIL).count() == 2
