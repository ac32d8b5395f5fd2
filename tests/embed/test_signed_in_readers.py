"""Readers signed in by the publisher: their comments, reports and correction requests
are tied to one Reader; a bad token is a 401 and saves nothing."""

import json
from datetime import timedelta

import pytest
from django.test import Client

from articles.models import CorrectionRequest, Reader
from articles.sso import sign_reader_token
from moderation.models import Comment, CommentReport
from tests.embed.conftest import COURIER_ORIGIN, STRANGER_ORIGIN, from_page


@pytest.fixture(autouse=True)
def _no_scoring(monkeypatch):
    # Scoring is the pipeline's business; here a comment stays as posted.
    monkeypatch.setattr("moderation.services._enqueue_scoring", lambda comment_id: None)


def _post(client, path, data, **headers):
    return client.post(path, data=json.dumps(data), content_type="application/json", **headers)


def _comment(client, article, token="", origin=COURIER_ORIGIN, **fields):
    data = {"body": "Glad the trains run again."} | fields
    return _post(
        client, f"/api/v1/articles/{article.slug}/comments/", data, **from_page(origin, token)
    )


def test_a_signed_in_reader_comments_under_the_sites_name_for_them(client, embedded, olena_token):
    response = _comment(client, embedded, olena_token, author_name="Somebody Else")

    assert response.status_code == 201
    assert response["Access-Control-Allow-Origin"] == COURIER_ORIGIN
    reader = Reader.objects.get()
    assert (reader.site, reader.sso_subject, reader.display_name, reader.email) == (
        embedded.site,
        "u-42",
        "Olena Marchuk",
        "olena@example.org",
    )
    comment = Comment.objects.get()
    assert (comment.reader, comment.author_name, comment.author_email) == (
        reader,
        "Olena Marchuk",
        "olena@example.org",
    )


def test_the_site_renaming_a_reader_updates_the_same_reader(client, embedded, courier):
    for name in ("Olena", "Olena M."):
        token = sign_reader_token(site=courier, subject="u-42", name=name, email="o@example.org")
        assert _comment(client, embedded, token).status_code == 201
    assert Reader.objects.get().display_name == "Olena M."
    assert Comment.objects.filter(reader__sso_subject="u-42").count() == 2


def test_a_verified_readers_comment_shows_a_mark_and_never_their_email(
    client, embedded, olena_token
):
    _comment(client, embedded, olena_token)
    Comment.objects.update(status="approved")
    _comment(client, embedded, author_name="Anonymous Andriy")
    Comment.objects.filter(reader__isnull=True).update(status="approved")

    listed = client.get(f"/api/v1/articles/{embedded.slug}/comments/", **from_page()).json()
    marks = {c["author_name"]: c["author_verified"] for c in listed["results"]}
    assert marks == {"Olena Marchuk": True, "Anonymous Andriy": False}
    assert "olena@example.org" not in json.dumps(listed)


@pytest.mark.parametrize(
    ("make_token", "message"),
    [
        (
            lambda site: sign_reader_token(
                site=site, subject="u-1", name="A", lifetime=timedelta(minutes=-1)
            ),
            "expired",
        ),
        (lambda site: sign_reader_token(site=site, subject="u-1", name="A") + "x", "signature"),
        (
            lambda site: sign_reader_token(
                site=type("Other", (), {"slug": "gazette", "sso_secret": "g" * 40})(),
                subject="u-1",
                name="A",
            ),
            "another site",
        ),
    ],
)
def test_a_bad_token_is_a_401_with_the_reason_and_saves_nothing(
    client, embedded, courier, make_token, message
):
    response = _comment(client, embedded, make_token(courier), author_name="A")

    assert response.status_code == 401
    assert message in response.json()["detail"]
    assert response["Access-Control-Allow-Origin"] == COURIER_ORIGIN
    assert (Comment.objects.count(), Reader.objects.count()) == (0, 0)


def test_a_site_without_anonymous_readers_wants_a_token(client, embedded, courier, olena_token):
    courier.allow_anonymous = False
    courier.save()

    refused = _comment(client, embedded, author_name="Andriy")
    accepted = _comment(client, embedded, olena_token)

    assert refused.status_code == 401
    assert "sign in" in refused.json()["detail"]
    assert accepted.status_code == 201
    assert Comment.objects.get().reader.sso_subject == "u-42"


def test_a_comment_that_fails_validation_leaves_no_reader_behind(client, embedded, olena_token):
    response = _comment(client, embedded, olena_token, body="")
    assert response.status_code == 400
    assert (Comment.objects.count(), Reader.objects.count()) == (0, 0)


def test_a_page_the_site_does_not_list_cannot_post(client, embedded):
    response = _comment(client, embedded, origin=STRANGER_ORIGIN, author_name="Andriy")
    assert response.status_code == 403
    assert "Access-Control-Allow-Origin" not in response
    assert Comment.objects.count() == 0


def test_reports_and_correction_requests_are_tied_to_the_reader(
    client, embedded, make_comment, olena_token
):
    target = make_comment(status="approved")
    report = _post(
        client,
        f"/api/v1/comments/{target.pk}/reports/",
        {"reason": "abuse"},
        **from_page(token=olena_token),
    )
    request = _post(
        client,
        f"/api/v1/articles/{embedded.slug}/correction-requests/",
        {"quote": "eight months", "suggestion": "Nine months, says the city."},
        **from_page(token=olena_token),
    )

    assert (report.status_code, request.status_code) == (201, 201)
    reader = Reader.objects.get()
    assert CommentReport.objects.get().reader == reader
    assert CorrectionRequest.objects.get().reader == reader


def test_a_bad_token_on_a_report_saves_nothing(client, embedded, make_comment):
    target = make_comment(status="approved")
    response = _post(
        client,
        f"/api/v1/comments/{target.pk}/reports/",
        {"reason": "abuse"},
        **from_page(token="not-a-token"),
    )
    assert response.status_code == 401
    assert CommentReport.objects.count() == 0


def test_the_reader_page_marks_a_verified_readers_name_without_a_query_more(
    client, embedded, olena_token, make_comment, django_assert_num_queries
):
    _comment(client, embedded, olena_token)
    Comment.objects.update(status="approved")
    make_comment("An anonymous view.", status="approved", author_name="Andriy")
    # Another reader's browser: the author's own gets a page of its own (Edit, Delete).
    reader = Client()
    reader.get(embedded.get_absolute_url())  # warm the caches the page keeps

    page = reader.get(embedded.get_absolute_url()).content.decode()

    assert page.count('class="comment__verified"') == 1
    assert "olena@example.org" not in page
    # The article, its corrections, the counts that key the cached comments: the three
    # queries of a page without readers (tests/articles/test_article_page.py).
    with django_assert_num_queries(3):
        reader.get(embedded.get_absolute_url())


# --- The reader's own actions, signed in from another browser --------------------------


def test_a_signed_in_reader_deletes_their_comment_from_any_browser(client, embedded, olena_token):
    comment_id = _comment(client, embedded, olena_token).json()["id"]
    Comment.objects.update(status="approved")
    elsewhere = Client()  # no session remembers the comment: the token says whose it is

    refused = elsewhere.delete(f"/api/v1/comments/{comment_id}/", **from_page())
    deleted = elsewhere.delete(f"/api/v1/comments/{comment_id}/", **from_page(token=olena_token))

    assert refused.status_code == 403
    assert deleted.status_code == 204
    assert Comment.objects.get(pk=comment_id).deleted_at is not None


def test_another_signed_in_reader_cannot_edit_the_comment(client, embedded, olena_token, courier):
    comment_id = _comment(client, embedded, olena_token).json()["id"]
    taras = sign_reader_token(site=courier, subject="u-7", name="Taras", email="t@example.org")

    response = Client().patch(
        f"/api/v1/comments/{comment_id}/",
        data=json.dumps({"body": "Not my words."}),
        content_type="application/json",
        **from_page(token=taras),
    )

    assert response.status_code == 403
    assert Comment.objects.get(pk=comment_id).body == "Glad the trains run again."


def test_a_signed_in_readers_recommendation_counts_once_across_browsers(
    client, embedded, olena_token, make_comment
):
    comment = make_comment("Worth reading.", status="approved", article=embedded)
    url = f"/api/v1/comments/{comment.pk}/recommend/"

    answers = [Client().post(url, **from_page(token=olena_token)).json() for _ in range(2)]

    assert [a["recommend_count"] for a in answers] == [1, 1]
    comment.refresh_from_db()
    assert comment.recommend_count == 1
