import pytest
from django.core import mail

from articles.admin.passages import group_requests, normalise_quote, passage_html
from articles.models import Article, CorrectionRequest, CorrectionThanks
from articles.services import correction_request_submit
from tests.mail_readers import opt_in

GROUPED = "/admin/articles/correctionrequest/grouped/"


def submit(article, quote="eight months", suggestion="It was nine months.", **fields):
    paragraph = fields.pop("paragraph_index", 1)
    text = article.paragraphs[paragraph]
    at = text.find(quote) if quote else -1
    return correction_request_submit(
        article=article,
        quote=quote,
        paragraph_index=paragraph if quote else None,
        offset=at if at >= 0 else None,
        suggestion=suggestion,
        **opt_in(fields),
    )


def act(client, request, **data):
    return client.post(f"/admin/articles/correctionrequest/{request.pk}/act/", data, follow=True)


def test_requests_quoting_the_same_words_are_one_group(article):
    first = submit(article)
    # Stored before quotes were anchored in the article's own text: case and spacing vary.
    second = CorrectionRequest.objects.create(
        article=article,
        article_updated_at=article.updated_at,
        quote="Eight  months",
        suggestion="Nine!",
    )
    other = submit(article, quote="Repairs", suggestion="Renovation")
    general = submit(article, quote="", suggestion="Wrong byline")
    groups = group_requests(list(CorrectionRequest.objects.all()))
    assert [[r.pk for r in g.requests] for g in groups] == [
        [first.pk, second.pk],
        [other.pk],
        [general.pk],
    ]
    assert groups[0].lead == first and groups[0].others == [second]
    assert normalise_quote("“Eight”  months") == normalise_quote('"eight" months')


def test_the_quote_is_shown_in_its_paragraph_as_the_reader_saw_it(article):
    request = submit(article)
    article.body = article.body.replace("eight months", "nine months")
    article.save()
    html = passage_html(request)
    assert html == "Repairs took <mark>eight months</mark>."
    [group] = group_requests([CorrectionRequest.objects.select_related("article").get()])
    assert group.article_changed and group.paragraph_now == "Repairs took nine months."


def test_the_passage_escapes_reader_text(article):
    request = CorrectionRequest(
        article=article, paragraph_text="", quote="<i>x</i>", prefix="<b>", suffix=""
    )
    assert "<i>" not in passage_html(request) and "&lt;i&gt;" in passage_html(request)


def test_the_grouped_view_lists_open_groups(client, editor, article):
    submit(article)
    submit(article, suggestion="Nine!")
    client.force_login(editor)
    html = client.get(GROUPED).content.decode()
    assert "2 open requests in 1 group" in html
    assert "Repairs took <mark>eight months</mark>." in html


def test_an_editor_resolves_a_group_into_a_published_correction(client, editor, article):
    lead = submit(article, email="reader@example.org")
    repeat = submit(article, suggestion="Nine!", email="second@example.org")
    client.force_login(editor)
    response = act(
        client,
        lead,
        action="resolve",
        correction_text="The repairs took nine months, not eight.",
        others=[repeat.pk],
    )
    html = response.content.decode()
    assert "Correction published" in html and "1 more request(s) resolved with it" in html
    assert "Thank-you email queued for 2 reader(s)." in html
    lead.refresh_from_db()
    repeat.refresh_from_db()
    assert lead.status == "resolved" and lead.correction.text.startswith("The repairs")
    assert repeat.status == "resolved" and repeat.correction == lead.correction
    assert sorted(CorrectionThanks.objects.values_list("request__email", "status")) == [
        ("reader@example.org", "queued"),
        ("second@example.org", "queued"),
    ]
    page = client.get(article.get_absolute_url()).content.decode()
    assert "The repairs took nine months, not eight." in page
    assert "The repairs took nine months" in client.get("/corrections/").content.decode()


def test_resolving_says_the_thanks_are_queued_and_sends_nothing_in_the_request(
    client, editor, article, django_capture_on_commit_callbacks
):
    request = submit(article, email="reader@example.org")
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = act(client, request, action="resolve", correction_text="Nine months.")
    assert "Thank-you email queued for 1 reader(s)." in response.content.decode()
    assert mail.outbox == []
    change = client.get(f"/admin/articles/correctionrequest/{request.pk}/change/")
    assert "Thank-you email" in change.content.decode() and "Queued" in change.content.decode()


def test_start_reject_and_duplicate(client, editor, article):
    first, second, third = submit(article), submit(article), submit(article)
    client.force_login(editor)
    act(client, first, action="start")
    act(client, second, action="reject", note="It was eight.")
    act(client, third, action="duplicate", duplicate_of=first.pk)
    statuses = dict(CorrectionRequest.objects.values_list("pk", "status"))
    assert statuses == {first.pk: "in_progress", second.pk: "rejected", third.pk: "duplicate"}
    assert CorrectionRequest.objects.get(pk=second.pk).note == "It was eight."


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action": "resolve", "correction_text": "  "}, "Write the correction"),
        ({"action": "duplicate"}, "Say which request"),
        ({"action": "duplicate", "duplicate_of": "999"}, "Choose another request"),
        ({"action": "burn"}, "Select a valid choice"),
    ],
)
def test_bad_actions_change_nothing(client, editor, article, data, message):
    request = submit(article)
    client.force_login(editor)
    response = client.post(
        f"/admin/articles/correctionrequest/{request.pk}/act/", data, follow=True
    )
    assert response.status_code == 200 and message in response.content.decode()
    assert CorrectionRequest.objects.get().status == "new"


def test_a_closed_request_is_reported_not_changed(client, editor, article):
    request = submit(article)
    client.force_login(editor)
    act(client, request, action="reject")
    response = act(client, request, action="resolve", correction_text="Late.")
    assert "already rejected" in response.content.decode()
    assert not article.corrections.exists()


def test_the_change_form_cannot_close_a_request(client, editor, article):
    request = submit(article)
    other = submit(article, suggestion="Nine!")
    client.force_login(editor)
    response = client.post(
        f"/admin/articles/correctionrequest/{request.pk}/change/",
        {"status": "resolved", "duplicate_of": other.pk, "correction": "", "note": "Seen."},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.duplicate_of, request.handled_by) == ("new", None, None)
    assert request.note == "Seen."
    form = client.get(f"/admin/articles/correctionrequest/{request.pk}/change/").content.decode()
    assert 'name="status"' not in form and 'name="duplicate_of"' not in form
    assert 'name="correction"' not in form


def test_a_moderator_cannot_see_or_handle_corrections(client, moderator, article):
    request = submit(article)
    client.force_login(moderator)
    assert client.get(GROUPED).status_code == 403
    assert (
        client.post(
            f"/admin/articles/correctionrequest/{request.pk}/act/", {"action": "start"}
        ).status_code
        == 403
    )
    assert Article.objects.get().corrections.count() == 0
