import pytest

pytestmark = pytest.mark.django_db


def test_it_records_a_report_on_a_published_comment(anon_client, make_comment):
    comment = make_comment(status="approved")
    response = anon_client.post(
        f"/api/v1/comments/{comment.pk}/reports/",
        {"reason": "abuse", "text": "Name-calling"},
        format="json",
        REMOTE_ADDR="203.0.113.4",
    )
    assert response.status_code == 201
    assert response.json()["reason"] == "abuse"
    comment.refresh_from_db()
    assert comment.reports_count == 1
    assert comment.reports.get().ip_address == "203.0.113.4"


def test_it_refuses_an_unknown_reason(anon_client, make_comment):
    comment = make_comment(status="approved")
    response = anon_client.post(
        f"/api/v1/comments/{comment.pk}/reports/", {"reason": "boring"}, format="json"
    )
    assert response.status_code == 400 and "reason" in response.json()


@pytest.mark.parametrize("status", ["pending", "spam", "rejected"])
def test_it_answers_404_for_a_comment_readers_cannot_see(anon_client, make_comment, status):
    comment = make_comment(status=status)
    response = anon_client.post(
        f"/api/v1/comments/{comment.pk}/reports/", {"reason": "abuse"}, format="json"
    )
    assert response.status_code == 404


def test_it_answers_404_for_ids_too_large_for_the_database(anon_client):
    response = anon_client.post(
        "/api/v1/comments/99999999999999999999999/reports/", {"reason": "abuse"}, format="json"
    )
    assert response.status_code == 404
