"""A moderator suspends a commenter's domain from a comment's page, then lifts it."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from moderation.models import CommenterSanction
from tests.browser.desk_helpers import log_in, screenshot


@pytest.mark.django_db(transaction=True)
def test_a_moderator_suspends_a_domain_and_lifts_it(live_server, page, moderator, make_comment):
    for n in range(3):
        make_comment(
            f"Cheap tickets, message me {n}.",
            author_email="seller@tickets.example",
            status="rejected",
            decided_at=timezone.now(),
            decided_by=moderator,
            created_at=timezone.now() - timedelta(days=3 - n),
        )
    comment = make_comment("Tickets half price, ask me.", author_email="seller@tickets.example")
    log_in(page, live_server.url, "alice", "pw-alice")
    page.goto(f"{live_server.url}/admin/moderation/comment/{comment.pk}/change/")
    expect(page.locator("#desk-standing")).to_have_text("premoderated: last 3 rejected")
    page.check("input[name=target][value=domain]")
    page.fill("#desk-sanction-reason", "ticket touting from one domain")
    until = timezone.localtime() + timedelta(days=14)
    page.fill("#desk-sanction-until", until.strftime("%Y-%m-%dT%H:%M"))
    page.click("button.desk-suspend")
    expect(page.locator(".desk-sanction-active")).to_contain_text("Suspended until")
    expect(page.locator(".desk-sanction-active")).to_contain_text("@tickets.example")
    screenshot(page, "desk-commenter")

    page.goto(f"{live_server.url}/admin/moderation/commentersanction/")
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    page.fill(".desk-lift input[type=text]", "settled with the seller")
    page.click(".desk-lift button")
    expect(page.locator(".messagelist")).to_contain_text("lifted")
    sanction = CommenterSanction.objects.get()
    assert (sanction.match_domain, sanction.lift_reason) == (
        "tickets.example",
        "settled with the seller",
    )
