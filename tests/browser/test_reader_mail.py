"""A reader asks for mail, confirms the address, reads a statement of reasons and
appeals; another moderator finds the appeal in the desk. Screenshots for the README
with SCREENSHOTS=1 (reader pages) and DESK_SCREENSHOTS=1 (the desk)."""

import os
import re
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import Browser, expect

from moderation.models import Appeal, Comment, MailRecipient
from moderation.notifications import notify_comments_rejected
from moderation.roles import MODERATORS
from moderation.services import comment_reject
from tests.browser.desk_helpers import log_in, screenshot
from tests.conftest import _user
from tests.moderation.mailing import deliver_queued

pytestmark = pytest.mark.django_db(transaction=True)

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _shoot(page, name: str) -> None:
    if os.environ.get("SCREENSHOTS") == "1":
        page.screenshot(path=str(DOCS / f"{name}.png"), full_page=True)


def _link(message, pattern: str) -> str:
    return re.search(rf"http://[^/\s]+({pattern}\S+)", message.body).group(1)


def test_a_reader_confirms_reads_the_statement_and_appeals(
    live_server, browser: Browser, article, moderator
):
    page = browser.new_page(viewport={"width": 1000, "height": 800})
    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    form = page.locator("#comment-form")
    form.get_by_label("Name").fill("Ann")
    form.get_by_label("Email (optional, never shown)").fill("ann@example.org")
    form.get_by_label("Your comment").fill("The mayor took bribes, everyone knows it.")
    notify = form.get_by_label("Email me about replies and about the decision on my comment")
    expect(notify).not_to_be_checked()
    notify.check()
    form.get_by_role("button", name="Post comment").click()
    expect(page.get_by_text("Your comment is awaiting moderation")).to_be_visible()

    deliver_queued()
    [confirmation] = mail.outbox
    page.goto(live_server.url + _link(confirmation, "/mail/confirm/"))
    _shoot(page, "mail-confirm")
    page.get_by_role("button", name="Confirm my address").click()
    expect(page.get_by_role("heading", name="Your address is confirmed")).to_be_visible()
    assert MailRecipient.objects.get().is_confirmed

    comment = Comment.objects.get()
    comment_reject(comment_id=comment.pk, actor=moderator, reason_code="legal")
    notify_comments_rejected(comment_ids=[comment.pk])
    deliver_queued()
    statement = mail.outbox[-1]
    page.goto(live_server.url + _link(statement, "/decisions/"))
    expect(page.get_by_role("heading", name="Statement of reasons")).to_be_visible()
    expect(page.get_by_text("defaming someone")).to_be_visible()
    _shoot(page, "statement-of-reasons")
    page.get_by_label("Why do you think the decision is wrong?").fill(
        "It was reported in court records last year."
    )
    page.get_by_role("button", name="Send my appeal").click()
    appeal = Appeal.objects.get()
    expect(page.get_by_text(f"Your appeal {appeal.reference}")).to_be_visible()
    page.close()

    other = _user("dana", MODERATORS)
    desk = browser.new_page()
    log_in(desk, live_server.url, "dana", "pw-dana")
    desk.goto(f"{live_server.url}/admin/moderation/appeal/")
    expect(desk.get_by_text("It was reported in court records last year.")).to_be_visible()
    screenshot(desk, "desk-appeals")
    desk.locator(f"input[name=_selected_action][value='{appeal.pk}']").check()
    desk.select_option("select[name=action]", "reverse")
    desk.get_by_role("button", name="Go").click()
    expect(desk.get_by_text("1 appeal(s) reversed.")).to_be_visible()
    assert Comment.objects.get().status == "approved"
    assert Appeal.objects.get().decided_by == other
    desk.close()
