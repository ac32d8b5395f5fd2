"""An editor sets a section's policy and sees it beside the site's."""

import pytest
from playwright.sync_api import expect

from articles.models import Section
from tests.browser.desk_helpers import log_in, screenshot


@pytest.mark.django_db(transaction=True)
def test_an_editor_sets_a_sections_policy(live_server, page, editor, moderator, article):
    Section.objects.create(name="Sport", slug="sport", comment_mode="open")
    log_in(page, live_server.url, "bob", "pw-bob")
    page.goto(live_server.url + "/admin/articles/section/add/")
    page.fill("#id_name", "War")
    page.fill("#id_spam_hold", "0.95")
    page.click("input[name=_continue]")
    expect(page.locator(".errorlist")).to_contain_text("must not be above spam_reject (0.9)")

    page.fill("#id_spam_hold", "0.3")
    page.fill("#id_spam_reject", "0.8")
    page.select_option("#id_comment_mode", "premoderated")
    page.fill("#id_auto_close_days", "14")
    page.select_option("#id_hold_links", "true")
    page.select_option("#id_moderators_from", label="alice")
    page.click("#id_moderators_add")
    page.click("input[name=_continue]")
    table = page.locator("#section-policy")
    expect(table).to_contain_text("Hold for a person from spam score")
    expect(table.locator("tr", has_text="Flag as a spoiler")).to_contain_text("—")
    expect(table.locator("tr", has_text="Moderators")).to_contain_text("alice, and editors")
    screenshot(page, "desk-section-policy")

    page.goto(live_server.url + "/admin/articles/section/")
    expect(page.locator("#result_list")).to_contain_text("War")
    screenshot(page, "desk-sections")
