"""Which language a reader page speaks: the switch, then the article's, then the browser's."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import translation

from articles.models import Article, Section
from articles.templatetags.reader import relative_time

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def ukrainian_article(db) -> Article:
    return Article.objects.create(
        slug="mist-vidkryly",
        title="Міст метро відкрили після ремонту",
        body="Міст відкрили в понеділок.",
        section=Section.objects.named("Київ"),
        author="Ірина Коваленко",
        language="uk",
    )


def test_an_article_page_speaks_the_articles_language_whatever_the_browser_asks(
    client, ukrainian_article
):
    page = client.get(f"/articles/{ukrainian_article.slug}/", HTTP_ACCEPT_LANGUAGE="en-GB,en")
    assert '<html lang="uk">' in page.text
    assert "Долучайтеся до розмови" in page.text
    assert page["Content-Language"] == "uk"


def test_an_english_article_stays_english_for_a_ukrainian_browser(client, article):
    page = client.get(f"/articles/{article.slug}/", HTTP_ACCEPT_LANGUAGE="uk")
    assert '<html lang="en">' in page.text
    assert "Join the conversation" in page.text


def test_other_pages_follow_the_browsers_language(client, article):
    assert '<html lang="uk">' in client.get("/", HTTP_ACCEPT_LANGUAGE="uk,en;q=0.5").text
    assert '<html lang="en">' in client.get("/", HTTP_ACCEPT_LANGUAGE="de,en;q=0.5").text


def test_the_switch_outranks_the_article_and_the_browser(client, ukrainian_article):
    url = f"/articles/{ukrainian_article.slug}/"
    answer = client.post("/i18n/setlang/", {"language": "en", "next": url})
    assert answer.status_code == 302 and answer["Location"] == url
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="uk")
    assert '<html lang="en">' in page.text
    assert "Join the conversation" in page.text
    client.post("/i18n/setlang/", {"language": "uk", "next": url})
    assert "Долучайтеся до розмови" in client.get(url, HTTP_ACCEPT_LANGUAGE="en").text


def test_the_switch_refuses_a_next_page_on_another_site(client):
    answer = client.post(
        "/i18n/setlang/", {"language": "uk", "next": "https://evil.example/"}, HTTP_REFERER=""
    )
    assert "evil.example" not in answer.get("Location", "")


NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(seconds=20), "щойно"),
        (timedelta(minutes=1), "1 хвилину тому"),
        (timedelta(minutes=3), "3 хвилини тому"),
        (timedelta(minutes=5), "5 хвилин тому"),
        (timedelta(minutes=21), "21 хвилину тому"),
        (timedelta(hours=2), "2 години тому"),
        (timedelta(days=5), "5 днів тому"),
        (timedelta(days=30), "28 жовтня"),
        (timedelta(days=400), "23 жовтня 2025"),
    ],
)
def test_times_and_dates_are_ukrainian(delta, text):
    with translation.override("uk"):
        assert relative_time(NOW - delta, NOW) == text


def test_the_correction_thanks_email_speaks_the_articles_language(
    ukrainian_article, editor, confirmed_address
):
    from articles.models import CorrectionThanks
    from articles.services import correction_request_submit, correction_requests_resolve
    from articles.tasks import send_correction_thanks

    confirmed_address("reader@example.org")
    request = correction_request_submit(
        article=ukrainian_article,
        suggestion="Не в понеділок, а у вівторок.",
        email="reader@example.org",
        notify=True,
    )
    correction_requests_resolve(
        request_id=request.pk, actor=editor, correction_text="Міст відкрили у вівторок."
    )
    # Sent by the worker, where no reader's language is active.
    with translation.override("en"):
        send_correction_thanks.apply(args=[CorrectionThanks.objects.get().pk])
    message = mail.outbox[-1]
    assert message.subject == f"Опубліковано виправлення: {ukrainian_article.title}"
    assert "Ми опублікували таке виправлення:" in message.body
    html = message.alternatives[0][0]
    assert '<html lang="uk">' in html
    assert "Ми опублікували таке виправлення:" in html
