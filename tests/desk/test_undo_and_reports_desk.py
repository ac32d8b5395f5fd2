"""Undo and dismiss from the desk, and what a comment's page shows of reports and authors."""

import re
from datetime import timedelta

from articles.models import Reader, Site
from moderation import services
from moderation.models import Comment, ModerationEvent

QUEUE = "/admin/moderation/comment/"
UNDO = QUEUE + "undo/"
JSON = {"HTTP_ACCEPT": "application/json"}


def page(comment: Comment) -> str:
    return f"{QUEUE}{comment.pk}/change/"


def test_a_keyboard_decision_offers_its_undo_and_u_takes_it_back(client, moderator, make_comment):
    comment = make_comment(status="pending")
    client.force_login(moderator)
    answer = client.post(
        f"{QUEUE}{comment.pk}/decide/",
        {"decision": "approve", "expected_status": "pending"},
        **JSON,
    ).json()
    offer = answer["undo"]
    assert offer["seconds"] == 10 and offer["url"] == UNDO and len(offer["events"]) == 1
    undone = client.post(UNDO, {"event": offer["events"], "from": "queue"}, **JSON)
    assert undone.status_code == 200
    assert undone.json()["comments"][0]["status"] == "pending"
    assert Comment.objects.get(pk=comment.pk).status == "pending"


def test_an_undo_after_the_window_is_a_400_with_the_reason(client, moderator, make_comment):
    comment = services.comment_approve(comment_id=make_comment().pk, actor=moderator)
    event = comment.events.get()
    ModerationEvent.objects.filter(pk=event.pk).update(
        created_at=event.created_at - timedelta(seconds=30)
    )
    client.force_login(moderator)
    response = client.post(UNDO, {"event": event.pk, "from": "queue"}, **JSON)
    assert response.status_code == 400
    assert "undo it from the comment's history" in response.json()["errors"]["event"][0]
    assert Comment.objects.get(pk=comment.pk).status == "approved"


def test_the_history_offers_undo_of_the_last_decision_and_takes_it_back(
    client, moderator, make_comment
):
    comment = services.comment_reject(
        comment_id=make_comment().pk, actor=moderator, reason_code="off_topic"
    )
    event = comment.events.get()
    ModerationEvent.objects.filter(pk=event.pk).update(
        created_at=event.created_at - timedelta(hours=1)
    )
    client.force_login(moderator)
    html = client.get(page(comment)).content.decode()
    assert "Off topic" in html and "off_topic" not in re.sub(r'value="[^"]*"', "", html)
    assert f'name="event" value="{event.pk}"' in html
    response = client.post(UNDO, {"event": event.pk, "from": "history"})
    assert response.status_code == 302 and response["Location"] == page(comment)
    assert Comment.objects.get(pk=comment.pk).status == "pending"
    assert "Undone" in client.get(page(comment)).content.decode()


def test_bad_undo_requests_are_400s(client, moderator):
    client.force_login(moderator)
    for data in ({}, {"event": "x"}, {"event": "9" * 30}):
        assert client.post(UNDO, data, **JSON).status_code == 400


def test_a_stranger_cannot_undo(client, stranger, moderator, make_comment):
    comment = services.comment_approve(comment_id=make_comment().pk, actor=moderator)
    client.force_login(stranger)
    response = client.post(UNDO, {"event": comment.events.get().pk})
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert Comment.objects.get(pk=comment.pk).status == "approved"


def test_the_comment_page_lists_the_reports_and_dismisses_them(client, moderator, make_comment):
    comment = make_comment(status="approved")
    services.comment_report(comment=comment, reason="off_topic", text="Not about <b>bridges</b>")
    client.force_login(moderator)
    html = client.get(page(comment)).content.decode()
    assert "Off topic" in html and "Not about &lt;b&gt;bridges&lt;/b&gt;" in html
    assert "Dismiss reports" in html
    response = client.post(f"{QUEUE}{comment.pk}/dismiss-reports/", {"reason_text": "Fine"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert (comment.status, comment.reports_count) == ("approved", 0)
    assert "Dismissed (alice)" in client.get(page(comment)).content.decode()


def test_dismissing_reports_of_a_missing_comment_is_refused(client, moderator):
    client.force_login(moderator)
    response = client.post(f"{QUEUE}999999/dismiss-reports/", **JSON)
    assert response.status_code == 400
    assert "no longer exists" in response.json()["errors"]["comment"][0]


def test_the_page_counts_comments_from_the_same_network_never_showing_the_address(
    client, moderator, make_comment
):
    comment = make_comment(ip_address="203.0.113.7")
    make_comment(ip_address="203.0.113.99")
    make_comment(ip_address="203.0.113.200")
    make_comment(ip_address="198.51.100.7")
    make_comment(ip_address="2001:db8::1")
    client.force_login(moderator)
    html = client.get(page(comment)).content.decode()
    summary = re.search(r'id="desk-same-address">(.*?)</p>', html, re.S)
    assert summary is not None
    assert "2 other comments from this address" in summary.group(1)
    assert "203.0.113" not in html


def test_the_page_finds_the_authors_comments_by_reader_account(client, moderator, make_comment):
    reader = Reader.objects.create(
        site=Site.objects.default(), sso_subject="u-7", display_name="Olena K."
    )
    comment = make_comment("Today's comment.", reader=reader)
    make_comment("Without an email, same account.", reader=reader)
    make_comment("Someone else's.", author_email="other@example.org")
    client.force_login(moderator)
    html = client.get(page(comment)).content.decode()
    line = re.search(r'id="desk-same-reader">(.*?)</p>', html, re.S)
    assert line is not None
    assert "signed in by the publisher" in line.group(1) and "Olena K." in line.group(1)
    assert "1 other comment from this reader account" in line.group(1)
    assert "Without an email, same account." in html and "Someone else&#x27;s." not in html
