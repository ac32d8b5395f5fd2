import pytest

from articles.models import CorrectionRequest, CorrectionThanks

pytestmark = pytest.mark.django_db
INBOX = "/api/v1/moderation/corrections/"


def submit_url(article) -> str:
    return f"/api/v1/articles/{article.slug}/correction-requests/"


def test_a_reader_submits_a_correction_request_with_its_context(anon_client, article):
    response = anon_client.post(
        submit_url(article),
        {
            "quote": "eight months",
            "prefix": "Repairs took ",
            "suffix": ".",
            "paragraph_index": 1,
            "offset": 13,
            "suggestion": "It was nine months.",
            "email": "reader@example.org",
        },
        format="json",
        REMOTE_ADDR="203.0.113.5",
    )
    assert response.status_code == 201
    assert response.json()["status"] == "new"
    saved = CorrectionRequest.objects.get(pk=response.json()["id"])
    assert saved.paragraph_text == "Repairs took eight months."
    assert (saved.quote, saved.prefix, saved.offset) == ("eight months", "Repairs took ", 13)
    assert saved.ip_address == "203.0.113.5"


def test_it_anchors_the_quote_on_the_server_not_where_the_client_says(anon_client, article):
    response = anon_client.post(
        submit_url(article),
        {
            "quote": "eight months",
            "prefix": "FORGED context ",
            "suffix": " FORGED",
            "paragraph_index": 0,
            "offset": 2,
            "suggestion": "It was nine months.",
        },
        format="json",
    )
    assert response.status_code == 201
    saved = CorrectionRequest.objects.get(pk=response.json()["id"])
    assert (saved.prefix, saved.suffix) == ("Repairs took ", ".")
    assert (saved.paragraph_index, saved.offset) == (1, 13)
    assert saved.paragraph_text == "Repairs took eight months."


def test_it_refuses_a_quote_that_is_not_in_the_article(anon_client, article):
    response = anon_client.post(
        submit_url(article),
        {"quote": "nine months", "paragraph_index": 1, "offset": 13, "suggestion": "Fine."},
        format="json",
    )
    assert response.status_code == 400
    assert "could not find these words" in response.json()["quote"][0]
    assert not CorrectionRequest.objects.exists()


def test_it_answers_400_with_field_errors(anon_client, article):
    response = anon_client.post(
        submit_url(article),
        {"suggestion": "", "paragraph_index": 99, "email": "x"},
        format="json",
    )
    assert response.status_code == 400
    assert {"suggestion", "email"} <= set(response.json())
    out_of_range = anon_client.post(
        submit_url(article), {"suggestion": "Fix", "paragraph_index": 99}, format="json"
    )
    assert out_of_range.status_code == 400 and "paragraph_index" in out_of_range.json()
    assert not CorrectionRequest.objects.exists()


def test_it_drops_a_filled_honeypot_silently(anon_client, article):
    response = anon_client.post(
        submit_url(article), {"suggestion": "Buy now", "website": "x"}, format="json"
    )
    assert response.status_code == 201 and response.json()["id"] is None
    assert not CorrectionRequest.objects.exists()


def test_the_inbox_lists_and_filters_requests(
    editor_client, make_correction_request, other_article
):
    new = make_correction_request(quote="the Dnipro bridge")
    done = make_correction_request(status="resolved")
    other = make_correction_request(article=other_article, suggestion="Wrong vote count")

    def get(**params):
        response = editor_client.get(INBOX, params)
        assert response.status_code == 200, response.content
        return [r["id"] for r in response.json()["results"]]

    assert get() == [other.pk, done.pk, new.pk]
    assert get(status="open") == [other.pk, new.pk]
    assert get(status="resolved") == [done.pk]
    assert get(article=other_article.slug) == [other.pk]
    assert get(q="VOTE") == [other.pk]
    assert get(q="dnipro") == [new.pk]
    assert editor_client.get(INBOX, {"status": "lost"}).status_code == 400


def test_an_editor_starts_and_resolves_a_request(editor_client, make_correction_request, editor):
    request = make_correction_request(email="reader@example.org")
    started = editor_client.post(f"{INBOX}{request.pk}/start/", format="json")
    assert started.status_code == 200 and started.json()["status"] == "in_progress"
    resolved = editor_client.post(
        f"{INBOX}{request.pk}/resolve/",
        {"correction_text": "The repairs took nine months."},
        format="json",
    )
    assert resolved.status_code == 200
    body = resolved.json()
    assert body["status"] == "resolved" and body["handled_by"] == editor.username
    assert body["correction"]["text"] == "The repairs took nine months."
    assert body["thanks"]["status"] == "queued" and body["thanks"]["sent_at"] is None


def test_one_resolve_answers_every_reader_of_the_same_error(editor_client, make_correction_request):
    lead = make_correction_request(email="ann@example.org")
    same = make_correction_request(email="bo@example.org")
    response = editor_client.post(
        f"{INBOX}{lead.pk}/resolve/",
        {"correction_text": "Nine months.", "also": [same.pk]},
        format="json",
    )
    assert response.status_code == 200
    same.refresh_from_db()
    assert same.status == "resolved" and same.correction_id == response.json()["correction"]["id"]
    assert sorted(CorrectionThanks.objects.values_list("request__email", "status")) == [
        ("ann@example.org", "queued"),
        ("bo@example.org", "queued"),
    ]


def test_resolve_refuses_ids_that_are_not_ids(editor_client, make_correction_request):
    request = make_correction_request()
    response = editor_client.post(
        f"{INBOX}{request.pk}/resolve/",
        {"correction_text": "Fixed.", "also": ["x", -1]},
        format="json",
    )
    assert response.status_code == 400 and "also" in response.json()
    request.refresh_from_db()
    assert request.status == "new"


def test_resolving_needs_the_correction_text(editor_client, make_correction_request):
    request = make_correction_request()
    response = editor_client.post(f"{INBOX}{request.pk}/resolve/", {}, format="json")
    assert response.status_code == 400 and "correction_text" in response.json()


def test_an_editor_rejects_a_request_with_a_note(editor_client, make_correction_request):
    request = make_correction_request()
    response = editor_client.post(
        f"{INBOX}{request.pk}/reject/", {"note": "The article is right."}, format="json"
    )
    assert response.json()["status"] == "rejected"
    assert response.json()["note"] == "The article is right."


def test_an_editor_marks_a_duplicate(editor_client, make_correction_request, other_article):
    original = make_correction_request()
    copy = make_correction_request()
    elsewhere = make_correction_request(article=other_article)
    response = editor_client.post(
        f"{INBOX}{copy.pk}/duplicate/", {"duplicate_of": original.pk}, format="json"
    )
    assert response.status_code == 200 and response.json()["duplicate_of"] == original.pk
    wrong = editor_client.post(
        f"{INBOX}{elsewhere.pk}/duplicate/", {"duplicate_of": original.pk}, format="json"
    )
    assert wrong.status_code == 400 and "duplicate_of" in wrong.json()
    itself = editor_client.post(
        f"{INBOX}{original.pk}/duplicate/", {"duplicate_of": original.pk}, format="json"
    )
    assert itself.status_code == 400


def test_it_refuses_a_closed_duplicate_target_with_a_field_error(
    editor_client, make_correction_request
):
    resolved = make_correction_request(status="resolved")
    request = make_correction_request()
    response = editor_client.post(
        f"{INBOX}{request.pk}/duplicate/", {"duplicate_of": resolved.pk}, format="json"
    )
    assert response.status_code == 400
    assert f"Request #{resolved.pk} is resolved" in response.json()["duplicate_of"][0]
    request.refresh_from_db()
    assert (request.status, request.duplicate_of, request.handled_by) == ("new", None, None)


def test_it_answers_409_with_the_state_of_a_closed_request(editor_client, make_correction_request):
    request = make_correction_request(status="rejected")
    response = editor_client.post(f"{INBOX}{request.pk}/start/", format="json")
    assert response.status_code == 409
    assert response.json()["current"]["status"] == "rejected"
    resolve = editor_client.post(
        f"{INBOX}{request.pk}/resolve/", {"correction_text": "x"}, format="json"
    )
    assert resolve.status_code == 409
    assert not request.article.corrections.exists()


def test_it_answers_404_for_an_unknown_request(editor_client):
    assert editor_client.get(f"{INBOX}424242/").status_code == 404
    assert editor_client.post(f"{INBOX}424242/start/", format="json").status_code == 404
