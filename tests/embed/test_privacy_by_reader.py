"""A signed-in reader's comments, reports and correction requests: exported and erased
by their reader id, whatever email they used."""

import json

import pytest
from django.core.management import CommandError, call_command

from articles.models import CorrectionRequest, Reader
from moderation.models import Comment, CommentReport, ModerationEvent
from moderation.privacy import ERASED_BODY, ERASED_NAME, commenter_data_erase, commenter_data_export


@pytest.fixture
def olena(courier) -> Reader:
    return Reader.objects.create(
        site=courier, sso_subject="u-42", display_name="Olena", email="olena@example.org"
    )


@pytest.fixture
def her_data(olena, embedded, make_comment):
    other = make_comment("Another reader's view.", author_email="andriy@example.org")
    mine = make_comment(
        "I live by the bridge.",
        reader=olena,
        author_email="old@example.org",
        ip_address="192.0.2.7",
    )
    report = CommentReport.objects.create(
        comment=other, reader=olena, reason="abuse", text="Rude to me.", ip_address="192.0.2.7"
    )
    request = CorrectionRequest.objects.create(
        article=embedded,
        article_updated_at=embedded.updated_at,
        reader=olena,
        suggestion="Nine months.",
        email="olena@example.org",
        ip_address="192.0.2.7",
    )
    return {"other": other, "mine": mine, "report": report, "request": request}


def test_it_exports_a_readers_rows_by_id(olena, her_data):
    data = commenter_data_export(reader_id=olena.pk)

    assert data["reader"]["sso_subject"] == "u-42"
    assert [c["id"] for c in data["comments"]] == [her_data["mine"].pk]
    assert [r["text"] for r in data["reports"]] == ["Rude to me."]
    assert [r["suggestion"] for r in data["correction_requests"]] == ["Nine months."]
    assert "Another reader's view." not in json.dumps(data)


def test_it_erases_a_reader_by_id_and_keeps_the_trail(olena, her_data, editor):
    result = commenter_data_erase(reader_id=olena.pk, actor=editor)

    assert (result.comments, result.reports, result.correction_requests) == (1, 1, 1)
    mine = Comment.objects.get(pk=her_data["mine"].pk)
    assert (mine.author_name, mine.body, mine.author_email, mine.ip_address) == (
        ERASED_NAME,
        ERASED_BODY,
        "",
        None,
    )
    assert ModerationEvent.objects.filter(comment=mine, action="erased", actor=editor).exists()
    report = CommentReport.objects.get(pk=her_data["report"].pk)
    assert (report.text, report.ip_address) == ("", None)
    request = CorrectionRequest.objects.get(pk=her_data["request"].pk)
    assert (request.email, request.ip_address) == ("", None)
    olena.refresh_from_db()
    assert (olena.sso_subject, olena.display_name, olena.email) == ("", ERASED_NAME, "")
    assert Comment.objects.get(pk=her_data["other"].pk).author_email == "andriy@example.org"
    assert commenter_data_erase(reader_id=olena.pk, actor=editor).comments == 0


def test_the_commands_take_a_reader_id(olena, her_data, editor, capsys):
    call_command("export_commenter_data", "--reader", str(olena.pk))
    assert "I live by the bridge." in capsys.readouterr().out
    call_command("erase_commenter_data", "--reader", str(olena.pk), "--editor", "bob", "--yes")
    assert Comment.objects.get(pk=her_data["mine"].pk).body == ERASED_BODY


def test_an_unknown_reader_is_a_command_error(db, editor):
    with pytest.raises(CommandError, match="No reader with id 999"):
        call_command("export_commenter_data", "--reader", "999")


def test_a_commenter_is_named_one_way_only(olena):
    with pytest.raises(ValueError, match="not both"):
        commenter_data_export(email="olena@example.org", reader_id=olena.pk)
