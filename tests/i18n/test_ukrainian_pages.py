"""Every reader page speaks Ukrainian when asked: no English string of the page is left.

Each page is rendered in English and in Ukrainian with Ukrainian content; every piece of
text the English page shows (text, labels, titles, placeholders) must be gone from the
Ukrainian one, except the few words that are the same in both (key names, the name of
the language switch's English button).
"""

import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.core.cache import cache
from django.utils import timezone

from articles.models import Article, Correction, Section
from articles.reader_session import OWN_COMMENTS_COOKIE, own_comments_cookie
from moderation.mail_links import confirm_url, decision_url, unsubscribe_url
from moderation.models import Comment, MailKind, MailRecipient, ModerationEvent

pytestmark = pytest.mark.django_db

# A reader's address, shown on the pages their mails link to: their data, not ours.
READER_EMAIL = "chytach@example.org"
# Words that are the same in both interfaces.
SAME_IN_BOTH = {"Ctrl", "Cmd", "Enter", "English", "+", "·", READER_EMAIL}
VISIBLE_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


class _Texts(HTMLParser):
    """The strings a reader sees or hears: text outside scripts, and labelling attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in VISIBLE_ATTRIBUTES and value:
                self.texts.append(value.strip())

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.texts.append(" ".join(data.split()))


def _texts(html: str) -> list[str]:
    parser = _Texts()
    parser.feed(html)
    return parser.texts


def _english_strings(html: str) -> set[str]:
    return {text for text in _texts(html) if LATIN_WORD.search(text) and text not in SAME_IN_BOTH}


@pytest.fixture
def ukrainian_article(db):
    cache.clear()
    article = Article.objects.create(
        slug="mist-vidkryly",
        title="Міст метро відкрили після ремонту",
        standfirst="Потяги знову їздять через Дніпро.",
        body="Міст відкрили в понеділок.\n\nРемонт тривав вісім місяців.",
        section=Section.objects.named("Київ"),
        author="Ірина Коваленко",
        language="uk",
        published_at=timezone.now() - timedelta(days=1),
    )
    Correction.objects.create(article=article, text="Ремонт тривав вісім, а не дев’ять місяців.")
    first = Comment.objects.create(
        article=article,
        author_name="Оксана",
        body="Нарешті! Дякую ремонтникам.",
        status="approved",
        created_at=timezone.now() - timedelta(minutes=30),
        recommend_count=3,
        featured_at=timezone.now(),
    )
    Comment.objects.create(
        article=article,
        parent=first,
        author_name="Петро",
        body="Згоден, дуже чекали.",
        status="approved",
        is_spoiler=True,
        edited_at=timezone.now(),
        created_at=timezone.now() - timedelta(minutes=20),
    )
    Comment.objects.create(
        article=article,
        author_name="Марія",
        body="",
        deleted_at=timezone.now(),
        status="approved",
        created_at=timezone.now() - timedelta(minutes=10),
    )
    return article


def _mail_pages(article: Article) -> list[str]:
    """The pages the links in mails open: confirming, stopping mails, a decision."""
    recipient = MailRecipient.objects.create(email=READER_EMAIL)
    rejected = Comment.objects.create(
        article=article,
        author_name="Чит",
        author_email=recipient.email,
        body="Не в тему.",
        status="rejected",
    )
    event = ModerationEvent.objects.create(
        comment=rejected,
        action=ModerationEvent.Action.REJECTED,
        from_status="pending",
        to_status="rejected",
        reason_code="off_topic",
    )
    return [
        confirm_url(recipient.pk),
        unsubscribe_url(recipient.pk, MailKind.REPLY),
        unsubscribe_url(recipient.pk),
        decision_url(event.pk),
    ]


def _pages(article: Article, own: Comment) -> list[str]:
    return [
        *_mail_pages(article),
        "/",
        f"/articles/{article.slug}/",
        f"/articles/{article.slug}/?sort=recommended",
        f"/articles/{article.slug}/suggest-correction/",
        "/corrections/",
        f"/comments/{own.pk}/report/",
        f"/comments/{own.pk}/report/illegal/",
        f"/comments/{own.pk}/recommend/",
        f"/comments/{own.pk}/edit/",
        f"/comments/{own.pk}/delete/",
    ]


def test_every_reader_page_has_no_english_string_left_in_ukrainian(client, ukrainian_article):
    own = Comment.objects.create(
        article=ukrainian_article,
        author_name="Я",
        body="Мій власний коментар.",
        status="approved",
    )
    client.cookies[OWN_COMMENTS_COOKIE] = own_comments_cookie([own.pk])
    leftovers = {}
    for url in _pages(ukrainian_article, own):
        # The switch's choice (a cookie) outranks the article's language.
        client.cookies["django_language"] = "en"
        english = client.get(url)
        assert english.status_code == 200, url
        assert '<html lang="en">' in english.text, url
        client.cookies["django_language"] = "uk"
        ukrainian = client.get(url)
        assert ukrainian.status_code == 200, url
        assert '<html lang="uk">' in ukrainian.text, url
        left = _english_strings(english.text) & set(_texts(ukrainian.text))
        if left:
            leftovers[url] = sorted(left)
    assert leftovers == {}


def test_the_english_page_really_is_english(client, ukrainian_article):
    # The check above is only as good as its English list: it must find the strings.
    client.cookies["django_language"] = "en"
    response = client.get(f"/articles/{ukrainian_article.slug}/")
    english = _english_strings(response.text)
    assert {"Join the conversation", "Editors’ picks", "Recommend", "edited"} <= english
    assert "This comment was deleted by its author." in english


def test_the_ukrainian_page_counts_comments_with_ukrainian_plurals(client, article, make_comment):
    cache.clear()
    for count, expected in [(1, "1 коментар"), (3, "3 коментарі"), (5, "5 коментарів")]:
        Comment.objects.filter(article=article).delete()
        for n in range(count):
            make_comment(body=f"Коментар {n}", status="approved")
        page = client.get("/", HTTP_ACCEPT_LANGUAGE="uk").text
        assert f"· {expected}</p>" in page
