"""An editor resolves a reader's correction request and sees the correction on the article."""

import pytest
from playwright.sync_api import expect

from articles.models import CorrectionRequest
from articles.services import correction_request_submit
from tests.browser.desk_helpers import log_in, screenshot


@pytest.mark.django_db(transaction=True)
def test_an_editor_resolves_a_correction_request(live_server, page, editor, article):
    for suggestion, email in [
        ("It took nine months, not eight.", "reader@example.org"),
        ("Eight? The city said nine.", ""),
    ]:
        correction_request_submit(
            article=article,
            quote="eight months",
            paragraph_index=1,
            offset=13,
            suggestion=suggestion,
            email=email,
        )
    correction_request_submit(article=article, suggestion="The mayor's name is misspelt.")
    log_in(page, live_server.url, "bob", "pw-bob")
    page.goto(live_server.url + "/admin/articles/correctionrequest/")
    group = page.locator(".desk-group").filter(has=page.locator("mark"))
    expect(group.locator(".desk-passage mark")).to_have_text("eight months")
    screenshot(page, "desk-corrections")

    group.locator("textarea[name=correction_text]").fill(
        "An earlier version of this article said the repairs took eight months. They took nine."
    )
    group.get_by_role("button", name="Preview and resolve the group").click()
    # The second look: as readers will see it, beside the words they quoted.
    expect(page.locator("#correction-preview")).to_contain_text("They took nine.")
    expect(page.locator("#correction-passage mark")).to_have_text("eight months")
    expect(page.locator("#correction-article-link")).to_be_visible()
    assert not CorrectionRequest.objects.filter(status="resolved").exists()
    screenshot(page, "desk-correction-preview")
    page.get_by_role("button", name="Publish the correction").click()
    expect(page.locator("ul.messagelist")).to_contain_text("Correction published")

    page.goto(live_server.url + article.get_absolute_url())
    expect(page.locator("body")).to_contain_text("They took nine.")
    statuses = sorted(CorrectionRequest.objects.values_list("status", flat=True))
    assert statuses == ["new", "resolved", "resolved"], "the group is resolved, the other left"
