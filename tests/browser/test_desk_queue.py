"""A moderator clears the queue with the keyboard, then in bulk, in a real browser."""

import pytest
from playwright.sync_api import expect

from moderation import services
from moderation.models import Comment, ModerationEvent
from tests.browser.desk_helpers import log_in, screenshot
from tests.desk.factories import scored_comment


@pytest.fixture
def queue(article, make_comment):
    """Three comments in a known priority order, plus two for the bulk action."""
    rows = [
        scored_comment(
            article,
            body,
            author_name=name,
            uncertainty=uncertainty,
            spam_score=score,
            reports_count=reports,
            author_email=f"{name.lower()}@example.org",
        )
        for name, body, uncertainty, score, reports in [
            ("Mykola", "The bridge repairs were long overdue.", 0.95, 0.52, 0),
            ("Troll", "You are all idiots, every one of you.", 0.9, 0.55, 2),
            ("Lucky", "Best casino bonus at http://casino.example, free spins", 0.8, 0.85, 0),
        ]
    ]
    earlier = scored_comment(
        article,
        "Casino night! http://casino.example",
        author_name="Lucky",
        author_email="lucky@example.org",
        status="spam",
        spam_score=0.96,
    )
    services.comment_mark_spam(comment_id=earlier.pk, actor=_desk_user())
    rest = [
        scored_comment(
            article,
            f"Good to see trains again ({i}). Pity the hero dies in the last episode.",
            author_name="Olena",
            uncertainty=0.1,
            spam_score=0.05,
            spoiler_score=0.8 if i == 0 else 0.1,
            is_spoiler=i == 0,
            explanation={},
        )
        for i in range(2)
    ]
    return rows, rest


def _desk_user():
    from django.contrib.auth.models import User

    return User.objects.get_or_create(username="dana", defaults={"is_staff": True})[0]


@pytest.mark.django_db(transaction=True)
def test_a_moderator_clears_three_comments_with_the_keyboard(live_server, page, moderator, queue):
    rows, _ = queue
    log_in(page, live_server.url, "alice", "pw-alice")
    page.goto(live_server.url + "/admin/moderation/comment/?queue=pending")
    expect(page.locator("#result_list tbody tr.desk-current")).to_contain_text("bridge repairs")

    page.keyboard.press("?")
    expect(page.locator("#desk-help")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("#desk-help")).to_be_hidden()

    page.keyboard.press("a")
    expect(page.locator(".desk-note-ok")).to_have_count(1)
    screenshot(page, "desk-queue")
    page.keyboard.press("r")
    expect(page.locator("#desk-reasons")).to_be_visible()
    page.keyboard.press("5")  # the fifth reason the page lists: "Posted more than once"
    expect(page.locator(".desk-note-ok")).to_have_count(2)
    page.keyboard.press("s")
    expect(page.locator(".desk-note-ok")).to_have_count(3)

    statuses = [Comment.objects.get(pk=c.pk).status for c in rows]
    assert statuses == ["approved", "rejected", "spam"]
    reject = ModerationEvent.objects.get(comment=rows[1], action="rejected")
    assert reject.reason_code == "duplicate" and reject.actor == moderator


@pytest.mark.django_db(transaction=True)
def test_a_decision_someone_else_made_first_is_shown_not_overwritten(
    live_server, page, moderator, editor, queue
):
    rows, _ = queue
    log_in(page, live_server.url, "alice", "pw-alice")
    page.goto(live_server.url + "/admin/moderation/comment/?queue=pending")
    services.comment_mark_spam(comment_id=rows[0].pk, actor=editor)
    page.keyboard.press("a")
    expect(page.locator(".desk-note-conflict")).to_contain_text("Already decided by bob: now Spam")
    assert Comment.objects.get(pk=rows[0].pk).status == "spam"


@pytest.mark.django_db(transaction=True)
def test_a_moderator_bulk_approves(live_server, page, moderator, queue):
    _, rest = queue
    log_in(page, live_server.url, "alice", "pw-alice")
    page.goto(live_server.url + "/admin/moderation/comment/?queue=pending&spam_band=low")
    expect(page.locator("#result_list tbody tr")).to_have_count(2)
    page.check("#action-toggle")
    page.select_option("select[name=action]", "approve_selected")
    page.click("button[name=index]")
    expect(page.locator("ul.messagelist")).to_contain_text("2 comments: approve done.")
    assert {Comment.objects.get(pk=c.pk).status for c in rest} == {"approved"}


@pytest.mark.django_db(transaction=True)
def test_a_moderator_decides_on_a_comments_page(live_server, page, moderator, queue):
    rows, _ = queue
    log_in(page, live_server.url, "alice", "pw-alice")
    page.goto(live_server.url + "/admin/moderation/comment/?queue=pending")
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("o")
    expect(page.locator("#desk-body mark.desk-mark-spam").first).to_have_text("casino")
    screenshot(page, "desk-comment")
    page.keyboard.press("s")
    expect(page.locator("ul.messagelist")).to_contain_text("spam done")
    assert Comment.objects.get(pk=rows[2].pk).status == "spam"
