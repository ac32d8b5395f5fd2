"""An editor compares a shadow model with the active one on live comments and promotes it."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from moderation import registry, services
from moderation.comment_scoring import sweep_unscored_comments
from tests.browser.desk_helpers import log_in, screenshot
from tests.pipeline.models import (  # noqa: F401 - fixtures
    active_models,
    contrary_spam_model,
    fresh_worker,
    seed_classifiers,
    spam_shadow,
)

BODIES = [
    "The bridge looks better than before the repairs, well done to the council.",
    "I walked along the river this morning and the new lights are lovely.",
    "Thanks for covering the school board meeting, it was useful to read.",
    "CHEAP pills!!! Buy now at http://pills.example http://deal.example click here",
    "WIN $$$ FREE CASH now!!! visit http://win.example http://cash.example",
]


# Each test starts as a worker that has loaded nothing yet.
pytestmark = pytest.mark.usefixtures("fresh_worker")


@pytest.mark.django_db(transaction=True)
def test_an_editor_compares_the_shadow_and_promotes_it(
    live_server,
    page,
    editor,
    moderator,
    make_comment,
    spam_shadow,  # noqa: F811
):
    comments = [make_comment(body, author_name=f"Reader {i}") for i, body in enumerate(BODIES)]
    assert sweep_unscored_comments(older_than=timedelta(0)).scored == len(BODIES)
    services.comment_approve(comment_id=comments[0].pk, actor=moderator)
    services.comment_mark_spam(comment_id=comments[3].pk, actor=moderator)

    log_in(page, live_server.url, "bob", "pw-bob")
    page.goto(live_server.url + "/admin/moderation/classifiermodel/task/spam/")
    panel = page.locator("#desk-shadow")
    expect(panel).to_contain_text(spam_shadow.version[:10])
    expect(page.locator("#desk-shadow-comments")).to_have_text("5")
    expect(page.locator("#desk-shadow-decided")).to_have_text("2")
    expect(page.locator("#desk-shadow-disagreements tbody tr")).to_have_count(5)
    expect(page.locator("#desk-retrain-shadow")).to_be_disabled()
    screenshot(page, "desk-shadow")

    page.locator("#desk-shadow-disagreements a").first.click()
    expect(page).to_have_url(
        f"{live_server.url}/admin/moderation/comment/{comments[-1].pk}/change/"
    )
    page.go_back()
    page.click("#desk-shadow-promote")
    expect(page.locator(".messagelist")).to_contain_text("is now the active one")
    expect(page.locator("#desk-active-version")).to_contain_text(spam_shadow.version[:10])
    expect(page.locator("#desk-shadow")).to_have_count(0)
    assert registry.active_version("spam") == spam_shadow.version
