"""Undo, dismissing reports, and the queue read at 1280 px, in a real browser."""

import os

import pytest
from playwright.sync_api import expect

from moderation import services
from moderation.models import Comment, CommentReport, ModerationEvent
from tests.browser.desk_helpers import SCREENSHOTS, log_in
from tests.desk.factories import scored_comment

pytestmark = pytest.mark.django_db(transaction=True)

QUEUE = "/admin/moderation/comment/"
LONG = (
    "The repairs took eight months and the city says the bridge will carry twice the trains. "
    "I rode it this morning: the new platforms are wide, the lifts work, and the old leak by "
    "the east stairs is finally gone. What nobody explained is why the night service still "
    "ends at eleven, when the contract signed in spring promised one o'clock. The article "
    "should ask the transport department that question, and print their answer in full, "
    "because commuters on the left bank have waited for it for years."
)


@pytest.fixture
def pending(article):
    parent = scored_comment(
        article, "Will the night trains run again?", status="approved", author_name="Ivan"
    )
    return [
        scored_comment(
            article,
            body,
            author_name=name,
            author_email=f"{name.lower()}@example.org",
            uncertainty=uncertainty,
            parent=parent if name == "Olha" else None,
            rule_hits=(
                [{"rule": "word_list", "action": "hold", "reason": "suspect term 'moron'"}]
                if name == "Troll"
                else []
            ),
        )
        for name, body, uncertainty in [
            ("Olha", LONG, 0.95),
            ("Troll", "Only a moron would ride that bridge. Best casino bonus here.", 0.9),
            ("Petro", "Best casino bonus at http://casino.example, free spins", 0.8),
        ]
    ]


def test_a_keyboard_decision_is_undone_with_u_and_the_counts_follow(
    live_server, page, moderator, pending
):
    log_in(page, live_server.url, "alice", "pw-alice")
    page.goto(live_server.url + QUEUE + "?queue=pending")
    filters = page.locator("#changelist-filter")
    expect(filters).to_contain_text("Pending (3)")
    page.keyboard.press("a")
    expect(page.locator("#desk-undo")).to_be_visible()
    expect(filters).to_contain_text("Pending (2)")  # counted again, no reload
    assert Comment.objects.get(pk=pending[0].pk).status == "approved"
    page.keyboard.press("u")
    expect(page.locator(".desk-note-ok").first).to_contain_text("Undone")
    expect(filters).to_contain_text("Pending (3)")
    comment = Comment.objects.get(pk=pending[0].pk)
    assert (comment.status, comment.decided_at) == ("pending", None)
    undo = ModerationEvent.objects.get(action="undone")
    assert undo.actor == moderator and undo.undoes.action == "approved"
    expect(page.locator("#desk-undo")).to_be_hidden()


def test_a_bulk_decision_is_undone_with_one_click(live_server, page, moderator, pending):
    log_in(page, live_server.url, "alice", "pw-alice")
    page.goto(live_server.url + QUEUE + "?queue=pending")
    page.check("#action-toggle")
    page.select_option("select[name=action]", "approve_selected")
    page.click("button[name=index]")
    expect(page.locator("ul.messagelist")).to_contain_text("3 comments: approve done.")
    assert {Comment.objects.get(pk=c.pk).status for c in pending} == {"approved"}
    page.locator("#desk-undo button").click()
    expect(page.locator("#changelist-filter")).to_contain_text("Pending (3)")
    assert {Comment.objects.get(pk=c.pk).status for c in pending} == {"pending"}
    assert ModerationEvent.objects.filter(action="undone").count() == 3


def test_a_moderator_dismisses_a_comments_reports(live_server, page, moderator, article):
    comment = scored_comment(article, "The mayor was right.", status="approved")
    services.comment_report(comment=comment, reason="abuse", text="He is rude")
    services.comment_report(comment=comment, reason="off_topic", text="")
    log_in(page, live_server.url, "alice", "pw-alice")
    page.goto(live_server.url + QUEUE + "?queue=reported")
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    page.keyboard.press("o")
    reports = page.locator("#desk-reports")
    expect(reports).to_contain_text("Abusive or hateful")
    expect(reports).to_contain_text("He is rude")
    reports.get_by_role("button", name="Dismiss reports").click()
    expect(page.locator("ul.messagelist")).to_contain_text("Reports dismissed")
    expect(reports).not_to_contain_text("open")
    assert not CommentReport.objects.filter(resolved_at__isnull=True).exists()
    assert Comment.objects.get(pk=comment.pk).status == "approved"
    page.goto(live_server.url + QUEUE + "?queue=reported")
    expect(page.locator("#result_list tbody tr")).to_have_count(0)


@pytest.mark.parametrize("width", [1280, 1920])
def test_the_queue_reads_at_desktop_widths(live_server, page, moderator, pending, width):
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server.url, "alice", "pw-alice")
    page.goto(live_server.url + QUEUE + "?queue=pending")
    # Nothing hidden behind a horizontal scroll: every cell of a row is on the screen.
    results = page.locator(".results")
    assert results.evaluate("el => el.scrollWidth <= el.clientWidth")
    first = page.locator("#result_list tbody tr").first
    for cell in ("comment_text", "scores", "reports", "age"):
        box = first.locator(f"td.field-{cell}").bounding_box()
        assert box is not None and box["x"] + box["width"] <= width, cell
    text = first.locator("td.field-comment_text").bounding_box()
    assert text is not None and text["width"] >= 420  # not four words wide
    expect(page.get_by_text("In reply to Ivan:")).to_be_visible()
    expect(page.locator(".desk-more-link")).to_be_visible()
    expect(page.locator(".desk-why").first).to_be_visible()
    if os.environ.get("DESK_SCREENSHOTS") == "1":
        page.screenshot(path=str(SCREENSHOTS / f"desk-queue-{width}.png"), full_page=True)
    page.locator(".desk-more summary").click()
    expect(page.locator(".desk-more")).to_contain_text("in full")
    expect(page.locator(".desk-more summary")).to_be_hidden()  # the whole text instead
