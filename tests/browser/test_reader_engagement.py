"""In a real Chromium: the author edits and deletes their comment, readers recommend and
sort by recommendations, and the language switch turns the page Ukrainian and back."""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from articles.models import Article, Correction, Section
from moderation.models import Comment
from tests.browser.test_reader_pages import _approved, _reader_setup  # noqa: F401 - autouse

pytestmark = pytest.mark.django_db(transaction=True)

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _publish(comment_id: int) -> None:
    Comment.objects.filter(pk=comment_id).update(status="approved")
    cache.clear()


def test_the_author_edits_then_deletes_their_comment(live_server, page: Page, article):
    url = f"{live_server.url}/articles/{article.slug}/"
    page.goto(url)
    page.get_by_label("Name").fill("Taras")
    page.get_by_label("Your comment").fill("The bridge opened on Monday.")
    page.get_by_role("button", name="Post comment").click()
    comment = Comment.objects.get()
    _publish(comment.pk)

    page.goto(url)
    card = page.locator(f"#comment-{comment.pk}")
    card.get_by_role("link", name="Edit").click()
    body = page.get_by_label("Your comment")
    expect(body).to_have_value("The bridge opened on Monday.")
    body.fill("The bridge opened on Tuesday.")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("status").first).to_contain_text("checked again")
    expect(card).to_contain_text("The bridge opened on Tuesday.")
    expect(card.locator(".badge")).to_have_text("Awaiting moderation")
    assert Comment.objects.get().status == "pending"

    _publish(comment.pk)
    _approved(article, "A reply that stays.", minutes_ago=0, parent=comment, author_name="Ira")
    page.goto(url)
    expect(card.locator(".comment__edited")).to_have_text("edited")
    expect(card.get_by_role("link", name="Edit")).to_have_count(0)  # someone replied
    card.get_by_role("link", name="Delete").first.click()
    page.get_by_role("button", name="Delete the comment").click()
    expect(card.locator(".comment__deleted")).to_have_text(
        "This comment was deleted by its author."
    )
    expect(card).not_to_contain_text("The bridge opened on Tuesday.")
    expect(card).to_contain_text("A reply that stays.")


def test_a_reader_recommends_once_and_sorts_by_recommendations(live_server, page: Page, article):
    first = _approved(article, "The first comment.", minutes_ago=30)
    second = _approved(article, "The second comment.", minutes_ago=20, author_name="Petro")
    page.goto(f"{live_server.url}/articles/{article.slug}/")
    button = page.locator(f"#comment-{second.pk} [data-recommend]").first
    expect(button).to_have_attribute("aria-pressed", "false")
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(button.locator("[data-recommend-count]")).to_have_text("1")
    expect(button).to_contain_text("Recommended")
    assert Comment.objects.get(pk=second.pk).recommend_count == 1

    cache.clear()  # counts on the shared page may lag by the cache time (README)
    page.reload()
    expect(button).to_have_attribute("aria-pressed", "true")
    page.get_by_role("link", name="Most recommended").click()
    threads = page.locator(".comment-page > .comment-list > li")
    expect(threads.first).to_have_id(f"comment-{second.pk}")
    expect(threads.nth(1)).to_have_id(f"comment-{first.pk}")

    button = page.locator(f"#comment-{second.pk} [data-recommend]").first
    button.click()  # pressed again: withdrawn
    expect(button).to_have_attribute("aria-pressed", "false")
    expect(button.locator("[data-recommend-count]")).to_have_text("0")
    assert Comment.objects.get(pk=second.pk).recommend_count == 0


def test_the_language_switch_turns_the_page_ukrainian_and_back(live_server, page: Page, article):
    _approved(article, "Good news.", minutes_ago=5)
    page.goto(f"{live_server.url}/articles/{article.slug}/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("button", name="Українська").click()
    expect(page.locator("html")).to_have_attribute("lang", "uk")
    expect(page.get_by_role("heading", name="Долучайтеся до розмови")).to_be_visible()
    expect(page.locator(".comment__time")).to_have_text("5 хвилин тому")
    expect(page).to_have_url(f"{live_server.url}/articles/{article.slug}/")
    page.get_by_label("Ваш коментар").fill("Привіт")
    expect(page.locator(".char-count")).to_have_text("6 з 5000 символів")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="Join the conversation")).to_be_visible()


@pytest.fixture
def ukrainian_article(db) -> Article:
    now = timezone.now()
    article = Article.objects.create(
        slug="vechirni-porony-povertayutsia",
        title="Вечірні пороми через Дніпро повертаються з понеділка",
        standfirst="Перевізники відновлюють останні рейси після того, як міст закрили на ремонт.",
        body="\n\n".join(
            [
                "З понеділка пороми між Подолом і Трухановим островом знову ходитимуть до "
                "22:00, повідомили в міській адміністрації.",
                "Вечірні рейси скасували восени через відключення світла. Тепер причали "
                "мають генератори, тож розклад більше не залежить від графіків.",
                "Квиток коштуватиме 20 гривень, як і раніше; проїзні для студентів діють.",
            ]
        ),
        section=Section.objects.named("Київ"),
        author="Ірина Коваленко",
        language="uk",
        published_at=now - timedelta(hours=3),
    )
    Correction.objects.create(
        article=article,
        text="У попередній версії статті була неправильна ціна квитка: 20, а не 25 гривень.",
        published_at=now - timedelta(hours=1),
    )
    first = _approved(
        article,
        "Нарешті! Щовечора добираюся на острів, і останній паром о 19:00 був справжньою мукою.",
        minutes_ago=95,
        author_name="Олена",
        recommend_count=14,
        featured_at=now,
    )
    _approved(
        article,
        "А по вихідних розклад той самий? На сайті перевізника досі старий.",
        minutes_ago=61,
        author_name="Микола",
        recommend_count=3,
        edited_at=now - timedelta(minutes=58),
    )
    _approved(
        article,
        "У суботу теж до 22:00, я питала в касі.",
        minutes_ago=40,
        author_name="Ганна",
        parent=first,
        recommend_count=2,
    )
    _approved(article, "", minutes_ago=25, author_name="Петро", deleted_at=now)
    _approved(
        article,
        "Генератори на причалах — це правильно. Шкода, що не зробили цього ще взимку.",
        minutes_ago=4,
        author_name="Тарас",
    )
    return article


def test_screenshot_of_a_ukrainian_article_page(live_server, browser: Browser, ukrainian_article):
    out = DOCS if os.environ.get("SCREENSHOTS") == "1" else None
    page = browser.new_page(viewport={"width": 1000, "height": 800})
    page.goto(f"{live_server.url}/articles/{ukrainian_article.slug}/")
    expect(page.locator("html")).to_have_attribute("lang", "uk")
    expect(page.get_by_role("heading", name="Вибір редакції")).to_be_visible()
    expect(page.get_by_text("Автор видалив цей коментар.")).to_be_visible()
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(out / "article-uk.png"), full_page=True, animations="disabled")
    page.close()
