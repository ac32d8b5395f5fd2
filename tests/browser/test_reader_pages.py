"""What a reader does on an article page, in a real Chromium against the live server."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import Page, expect

from articles.models import CorrectionRequest
from moderation.models import Comment, CommentReport

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _reader_setup(monkeypatch):
    # Scoring is the pipeline's business and is tested there; here a comment stays as
    # posted, so that no worker running beside the suite publishes it mid-test.
    monkeypatch.setattr("moderation.services._enqueue_scoring", lambda comment_id: None)
    cache.clear()
    yield
    cache.clear()


def _approved(article, body, minutes_ago=10, **fields):
    fields.setdefault("author_name", "Oksana")
    return Comment.objects.create(
        article=article,
        body=body,
        status="approved",
        created_at=timezone.now() - timedelta(minutes=minutes_ago),
        **fields,
    )


def _open(page: Page, live_server, article, query="") -> None:
    page.goto(f"{live_server.url}/articles/{article.slug}/{query}")


def _select(page: Page, paragraph: int, phrase: str) -> None:
    """Select `phrase` in a paragraph of the article body, as a reader's drag would."""
    page.evaluate(
        """([index, phrase]) => {
          const p = document.querySelector(`.article-body p[data-paragraph="${index}"]`);
          const node = p.firstChild;
          const start = node.data.indexOf(phrase);
          const range = document.createRange();
          range.setStart(node, start);
          range.setEnd(node, start + phrase.length);
          const selection = window.getSelection();
          selection.removeAllRanges();
          selection.addRange(range);
        }""",
        [paragraph, phrase],
    )


def test_a_reader_posts_a_comment_and_sees_it_awaiting_moderation(
    live_server, page: Page, browser, article
):
    _open(page, live_server, article)
    page.get_by_label("Name").fill("Taras")
    page.get_by_label("Email (optional, never shown)").fill("taras@example.org")
    body = page.get_by_label("Your comment")
    body.fill("Glad the trains are running again.")
    expect(page.locator(".char-count")).to_have_text("34 of 5000 characters")
    page.get_by_role("button", name="Post comment").click()

    comment = Comment.objects.get()
    assert (comment.status, comment.author_email) == ("pending", "taras@example.org")
    card = page.locator(f"#comment-{comment.pk}")
    expect(card).to_contain_text("Glad the trains are running again.")
    expect(card.locator(".badge")).to_have_text("Awaiting moderation")
    expect(page.get_by_role("status").first).to_contain_text("awaiting moderation")
    expect(page.get_by_text("taras@example.org")).to_have_count(0)

    other = browser.new_page()
    other.goto(f"{live_server.url}/articles/{article.slug}/")
    expect(other.locator(f"#comment-{comment.pk}")).to_have_count(0)
    expect(other.get_by_role("heading", name="Comments (0)")).to_be_visible()
    other.close()


def test_a_reader_posts_in_ukrainian(live_server, page: Page, article):
    _open(page, live_server, article)
    page.get_by_label("Name").fill("Олена Дорошенко")
    page.get_by_label("Your comment").fill("Нарешті! Міст відкрили — їздитиму на роботу метро.")
    page.get_by_role("button", name="Post comment").click()

    comment = Comment.objects.get()
    assert comment.author_name == "Олена Дорошенко"
    assert comment.body == "Нарешті! Міст відкрили — їздитиму на роботу метро."
    card = page.locator(f"#comment-{comment.pk}")
    expect(card).to_contain_text("Олена Дорошенко")
    expect(card).to_contain_text("Нарешті! Міст відкрили — їздитиму на роботу метро.")


def test_a_reader_sees_a_field_error_and_keeps_their_text(live_server, page: Page, article):
    _open(page, live_server, article)
    page.get_by_label("Your comment").fill("I forgot my name.")
    page.get_by_role("button", name="Post comment").click()

    name = page.get_by_label("Name")
    expect(page.locator("#id_author_name-error")).to_have_text(
        "Please give a name to sign your comment with."
    )
    expect(name).to_have_attribute("aria-invalid", "true")
    expect(name).to_have_accessible_description(re.compile("Please give a name"))
    expect(page.get_by_label("Your comment")).to_have_value("I forgot my name.")
    assert Comment.objects.count() == 0


def test_a_reader_replies_to_a_comment(live_server, page: Page, article):
    parent = _approved(article, "Which line is it?", author_name="Mykola")
    _open(page, live_server, article)
    page.get_by_role("link", name="Reply to Mykola").click()
    expect(page.locator("[data-replying]")).to_contain_text("Replying to Mykola")
    expect(page.get_by_label("Your comment")).to_be_focused()
    page.get_by_label("Name").fill("Iryna")
    page.get_by_label("Your comment").fill("The red line, between Dnipro and Hidropark.")
    page.get_by_role("button", name="Post comment").click()

    reply = Comment.objects.get(parent=parent)
    expect(
        page.locator(f"#comment-{parent.pk} .comment-list--replies #comment-{reply.pk}")
    ).to_contain_text("Awaiting moderation")


def test_a_reader_reveals_a_spoiler_by_click_and_by_keyboard(live_server, page: Page, article):
    first = _approved(article, "The captain sold out the crossing.", is_spoiler=True)
    second = _approved(article, "His daughter keeps the ferry.", is_spoiler=True, minutes_ago=5)
    _open(page, live_server, article)
    warning = "This comment contains spoilers. Click here if you want to read."
    expect(page.get_by_text("The captain sold out the crossing.")).to_be_hidden()
    page.locator(f"#comment-{first.pk}").get_by_text(warning).click()
    expect(page.get_by_text("The captain sold out the crossing.")).to_be_visible()

    summary = page.locator(f"#comment-{second.pk} summary")
    summary.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("His daughter keeps the ferry.")).to_be_visible()
    assert page.evaluate("performance.getEntriesByType('navigation').length") == 1


def test_a_reader_reports_a_comment(live_server, page: Page, article):
    comment = _approved(article, "You are all fools.", author_name="Troll")
    _open(page, live_server, article)
    report = page.get_by_role("link", name="Report comment by Troll")
    report.click()
    dialog = page.get_by_role("dialog", name="Report a comment")
    expect(dialog).to_be_visible()
    dialog.get_by_label("Abusive or hateful").check()
    dialog.get_by_role("button", name="Report").click()
    expect(dialog).to_contain_text("Thank you for your report.")
    dialog.get_by_role("button", name="Close").click()
    expect(dialog).to_be_hidden()
    expect(page.locator(f"#comment-{comment.pk} [data-report]")).to_have_text("Reported")

    report = CommentReport.objects.get()
    assert (report.comment_id, report.reason) == (comment.pk, "abuse")
    comment.refresh_from_db()
    assert comment.reports_count == 1


def test_a_reader_selects_words_and_presses_ctrl_enter_to_suggest_a_correction(
    live_server, page: Page, article
):
    _open(page, live_server, article)
    _select(page, 1, "eight months")
    page.keyboard.press("Control+Enter")

    dialog = page.get_by_role("dialog", name="Suggest a correction")
    expect(dialog).to_be_visible()
    expect(dialog.locator("blockquote")).to_have_text("eight months")
    expect(dialog.get_by_label("What should it say?")).to_be_focused()
    dialog.get_by_label("What should it say?").fill("The repairs took nine months.")
    dialog.get_by_label("Your email (optional, if you would like a reply)").fill("r@example.org")
    dialog.get_by_role("button", name="Send").click()
    expect(dialog).to_contain_text("Thank you. An editor will read your suggestion")

    request = CorrectionRequest.objects.get()
    assert request.quote == "eight months"
    assert (request.prefix, request.suffix) == ("Repairs took ", ".")
    assert (request.paragraph_index, request.offset) == (1, 13)
    assert request.suggestion == "The repairs took nine months."
    assert request.email == "r@example.org"


def test_the_stored_context_is_about_sixty_characters_each_side(live_server, page: Page, article):
    article.body = (
        "The city council voted on Tuesday to extend the night bus network to the left bank, "
        "adding four routes that will run every twenty minutes between midnight and five."
    )
    article.save()
    _open(page, live_server, article)
    _select(page, 0, "four routes")
    page.keyboard.press("Control+Enter")
    dialog = page.get_by_role("dialog", name="Suggest a correction")
    dialog.get_by_label("What should it say?").fill("Five routes.")
    dialog.get_by_role("button", name="Send").click()
    expect(dialog).to_contain_text("Thank you")

    request = CorrectionRequest.objects.get()
    start = article.body.index("four routes")
    assert request.offset == start
    assert request.prefix == article.body[start - 60 : start]
    assert request.suffix == article.body[start + len("four routes") :][:60]


def test_the_link_opens_the_dialog_without_a_quote_and_esc_gives_focus_back(
    live_server, page: Page, article
):
    _open(page, live_server, article)
    link = page.get_by_role("link", name="write to us here")
    link.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Suggest a correction")
    expect(dialog).to_be_visible()
    expect(dialog.locator("[data-quoted]")).to_be_hidden()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(link).to_be_focused()


def test_a_missing_suggestion_is_shown_in_the_dialog(live_server, page: Page, article):
    _open(page, live_server, article)
    page.get_by_role("link", name="write to us here").click()
    dialog = page.get_by_role("dialog", name="Suggest a correction")
    dialog.get_by_role("button", name="Send").click()
    expect(dialog.locator("#correction-suggestion-error")).to_have_text(
        "Tell us what is wrong and what it should say."
    )
    expect(dialog.get_by_label("What should it say?")).to_be_focused()
    assert CorrectionRequest.objects.count() == 0


def test_ctrl_enter_without_a_selection_or_outside_the_article_says_what_to_do(
    live_server, page: Page, article
):
    _open(page, live_server, article)
    page.keyboard.press("Control+Enter")
    notice = page.locator("#reader-notice")
    expect(notice).to_contain_text("Select the words in the article that need correcting")
    expect(page.get_by_role("dialog")).to_have_count(0)

    page.evaluate(
        """() => {
          const range = document.createRange();
          range.selectNodeContents(document.querySelector('.standfirst'));
          getSelection().removeAllRanges();
          getSelection().addRange(range);
        }"""
    )
    page.keyboard.press("Control+Enter")
    expect(notice).to_contain_text("That selection is not part of the article text")
    expect(page.locator("#correction-dialog")).to_be_hidden()


def test_show_more_comments_appends_the_next_page(live_server, page: Page, article, settings):
    settings.COMMENTS_PER_PAGE = 2
    comments = [_approved(article, f"Thread number {i}", minutes_ago=50 - i) for i in range(5)]
    _open(page, live_server, article)
    expect(page.locator(".comment-page .comment")).to_have_count(2)
    page.get_by_role("link", name="Show more comments").click()
    expect(page.locator(".comment-page .comment")).to_have_count(4)
    expect(page.locator(f"#comment-{comments[2].pk} .comment__card")).to_be_focused()
    page.get_by_role("link", name="Show more comments").click()
    expect(page.locator(".comment-page .comment")).to_have_count(5)
    expect(page.get_by_role("link", name="Show more comments")).to_have_count(0)
