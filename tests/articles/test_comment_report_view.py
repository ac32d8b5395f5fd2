import pytest
from django.test import Client

from moderation.models import CommentReport


@pytest.fixture
def comment(approved):
    return approved("You are all idiots.", author_name="Troll")


def _url(comment):
    return f"/comments/{comment.pk}/report/"


def test_the_report_page_works_without_javascript(client, comment):
    page = client.get(_url(comment))
    assert page.status_code == 200 and "You are all idiots." in page.text
    response = client.post(_url(comment), {"reason": "abuse", "text": "Insults"})
    assert response.status_code == 303
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    report = CommentReport.objects.get()
    assert (report.reason, report.text) == ("abuse", "Insults")
    comment.refresh_from_db()
    assert comment.reports_count == 1
    assert "Thank you for your report." in client.get(response["Location"]).text


def test_the_dialog_gets_json(client, comment):
    response = client.post(
        _url(comment), {"reason": "spam"}, headers={"Accept": "application/json"}
    )
    assert response.status_code == 201
    assert response.json()["message"].startswith("Thank you")


def test_a_missing_reason_is_a_field_error(client, comment):
    response = client.post(_url(comment), {}, headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert response.json() == {"errors": {"reason": ["Choose a reason."]}}
    assert client.post(_url(comment), {"reason": "nonsense"}).status_code == 400
    assert CommentReport.objects.count() == 0


def test_a_reader_reporting_twice_counts_once(client, comment):
    client.post(_url(comment), {"reason": "abuse"})
    client.post(_url(comment), {"reason": "abuse"})
    Client().post(_url(comment), {"reason": "abuse"})
    comment.refresh_from_db()
    assert comment.reports_count == 2


def test_only_published_comments_can_be_reported(client, make_comment):
    held = make_comment(status="pending")
    assert client.post(f"/comments/{held.pk}/report/", {"reason": "abuse"}).status_code == 404


def test_too_many_reports_are_answered_politely(client, approved, settings):
    settings.REPORT_RATE_LIMIT = "1/minute"
    first, second = approved("one"), approved("two")
    client.post(f"/comments/{first.pk}/report/", {"reason": "abuse"})
    response = client.post(
        f"/comments/{second.pk}/report/",
        {"reason": "abuse"},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 429
    assert "wait a minute" in response.json()["detail"]


def test_reporting_needs_a_csrf_token(comment):
    assert (
        Client(enforce_csrf_checks=True).post(_url(comment), {"reason": "abuse"}).status_code == 403
    )
