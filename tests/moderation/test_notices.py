"""Notices of illegal content: the reader's form, the acknowledgement, the desk's queue."""

import pytest
from django.core import mail
from django.test import Client

from moderation.models import Comment, IllegalContentNotice
from moderation.notices import NoticeConflict, notice_handle, notice_submit
from tests.moderation.mailing import deliver_queued

pytestmark = pytest.mark.django_db(transaction=True)

NOTICE = {
    "law": "Criminal Code art. 161 (incitement to hatred)",
    "explanation": "It calls for violence against a named group.",
}


@pytest.fixture
def published(make_comment):
    return make_comment("They should all be driven out.", status="approved")


def _path(comment: Comment) -> str:
    return f"/comments/{comment.pk}/report/illegal/"


def test_the_comment_shows_report_illegal_content_beside_report(client, article, published):
    page = client.get(article.get_absolute_url()).content.decode()
    assert f'href="/comments/{published.pk}/report/illegal/"' in page
    assert "Report illegal content" in page


def test_a_notice_gets_a_reference_and_an_acknowledgement(client, published, confirmed_address):
    confirmed_address("lawyer@example.org")
    response = client.post(_path(published), {**NOTICE, "contact_email": "Lawyer@Example.org"})
    assert response.status_code == 201
    notice = IllegalContentNotice.objects.get()
    assert notice.reference == f"N-{notice.pk:06d}"
    assert notice.reference.encode() in response.content
    deliver_queued()
    [ack] = mail.outbox
    assert ack.to == ["lawyer@example.org"]
    assert notice.reference in ack.subject
    assert "/mail/confirm/" not in ack.body


def test_an_unconfirmed_contact_gets_one_acknowledgement_that_asks_to_confirm(client, published):
    for _ in range(2):
        response = client.post(_path(published), {**NOTICE, "contact_email": "x@example.org"})
        assert response.status_code == 201
    deliver_queued()
    [ack] = mail.outbox  # the second notice within a day: no second mail to a stranger
    assert "/mail/confirm/" in ack.body
    assert IllegalContentNotice.objects.count() == 2


def test_a_notice_without_a_contact_mails_nobody(client, published):
    assert client.post(_path(published), NOTICE).status_code == 201
    deliver_queued()
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"law": ""}, "law"),
        ({"explanation": ""}, "explanation"),
        ({"law": "x" * 201}, "law"),
        ({"contact_email": "not an address"}, "contact_email"),
        ({"contact_name": "n" * 81}, "contact_name"),
    ],
)
def test_bad_input_is_a_field_error_and_nothing_is_saved(client, published, fields, field):
    response = client.post(_path(published), {**NOTICE, **fields}, HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not IllegalContentNotice.objects.exists()


def test_a_name_with_line_breaks_cannot_add_headers_to_the_acknowledgement(client, published):
    client.post(
        _path(published),
        {
            **NOTICE,
            "contact_name": "Eve\r\nBcc: victim@example.net",
            "contact_email": "e@example.org",
        },
    )
    deliver_queued()
    sent = mail.outbox[0].message()
    assert sent["Bcc"] is None
    assert mail.outbox[0].recipients() == ["e@example.org"]


def test_removing_the_comment_from_the_queue_rejects_it_on_legal_grounds(published, moderator):
    notice = notice_submit(comment=published, **NOTICE)
    notice_handle(notice_id=notice.pk, actor=moderator, remove=True)
    published.refresh_from_db()
    assert published.status == "rejected"
    event = published.events.latest("created_at", "id")
    assert (event.actor, event.reason_code) == (moderator, "legal")
    assert notice.reference in event.reason_text
    notice.refresh_from_db()
    assert (notice.status, notice.handled_by) == ("actioned", moderator)
    assert notice.handled_at is not None
    with pytest.raises(NoticeConflict):
        notice_handle(notice_id=notice.pk, actor=moderator, remove=False)


def test_a_notice_on_a_hidden_comment_is_not_found(client, make_comment):
    hidden = make_comment("Spam spam.", status="spam")
    assert client.post(_path(hidden), NOTICE).status_code == 404
    assert not IllegalContentNotice.objects.exists()


def test_the_desk_lists_notices_in_their_own_queue(published, moderator):
    notice = notice_submit(comment=published, **NOTICE)
    desk = Client()
    desk.force_login(moderator)
    page = desk.get("/admin/moderation/illegalcontentnotice/")
    assert page.status_code == 200
    assert notice.reference.encode() in page.content
    assert b"Criminal Code art. 161" in page.content
