"""Screenshots of the reader pages for the README, taken from the demo article.

Runs with the rest of the browser tests (checking that each state can be reached) and
writes the pictures to a temporary folder; with SCREENSHOTS=1 it writes them to
docs/screenshots/ instead.
"""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from articles.demo.content import ARTICLE, COMMENTS, SECTION
from articles.models import Article, Correction, Section
from moderation.models import Comment

pytestmark = pytest.mark.django_db(transaction=True)

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
SPAM = {"c8", "c9", "c12"}
SPOILERS = {"c5", "c7"}


@pytest.fixture
def out_dir(tmp_path) -> Path:
    if os.environ.get("SCREENSHOTS") == "1":
        DOCS.mkdir(parents=True, exist_ok=True)
        return DOCS
    return tmp_path


@pytest.fixture
def demo_article(db) -> Article:
    now = timezone.now()
    article = Article.objects.create(
        **ARTICLE, section=Section.objects.named(SECTION), published_at=now - timedelta(hours=5)
    )
    by_key: dict[str, Comment] = {}
    for minutes, (key, parent_key, author, email, body, _tag) in enumerate(COMMENTS):
        by_key[key] = Comment.objects.create(
            article=article,
            parent=by_key.get(parent_key) if parent_key else None,
            author_name=author,
            author_email=email,
            body=body,
            status="spam" if key in SPAM else "approved",
            is_spoiler=key in SPOILERS,
            created_at=now - timedelta(minutes=200 - 13 * minutes),
        )
    Correction.objects.create(
        article=article,
        text="An earlier version of this article gave the wrong cinema for the added "
        "Sunday screening. It is the Kyiv cinema, not the Zhovten.",
        published_at=now - timedelta(hours=1),
    )
    return article


def _shoot(page: Page, path: Path, **options) -> None:
    page.screenshot(path=str(path), animations="disabled", caret="hide", **options)
    assert path.stat().st_size > 10_000


def test_screenshots_of_the_article_a_revealed_spoiler_and_the_correction_dialog(
    live_server, browser: Browser, demo_article, out_dir
):
    url = f"{live_server.url}/articles/{demo_article.slug}/"
    page = browser.new_page(viewport={"width": 1000, "height": 800})
    page.goto(url)
    _shoot(page, out_dir / "article.png", full_page=True)

    spoiler = page.locator(".spoiler").first
    spoiler.get_by_text("This comment contains spoilers").click()
    expect(spoiler.locator(".comment__body")).to_be_visible()
    spoiler.evaluate("el => el.scrollIntoView({block: 'center'})")
    _shoot(page, out_dir / "spoiler-revealed.png")
    page.close()

    phone = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    phone.goto(url)
    _shoot(phone, out_dir / "article-phone.png")
    phone.evaluate(
        """() => {
          const p = document.querySelector('.article-body p[data-paragraph="1"]');
          const text = p.firstChild, phrase = 'a fifth screening was added for Sunday morning';
          const start = text.data.indexOf(phrase);
          const range = document.createRange();
          range.setStart(text, start);
          range.setEnd(text, start + phrase.length);
          getSelection().removeAllRanges();
          getSelection().addRange(range);
          p.scrollIntoView();
        }"""
    )
    phone.keyboard.press("Control+Enter")
    dialog = phone.get_by_role("dialog", name="Suggest a correction")
    expect(dialog).to_be_visible()
    dialog.get_by_label("What should it say?").fill(
        "The fifth screening is on Sunday evening, not morning: see the festival's site."
    )
    _shoot(phone, out_dir / "correction-dialog.png")
    phone.close()
