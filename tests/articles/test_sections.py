"""Sections set how new articles take comments and when comments close."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article, Section
from articles.services import article_create, articles_auto_close
from articles.tasks import auto_close_articles
from newsroom.settings.base import CELERY_BEAT_SCHEDULE, CELERY_TASK_ROUTES
from tests.pipeline.models import active_models, seed_classifiers  # noqa: F401 - fixtures


def _article(section: Section, slug: str, days_old: float) -> Article:
    return Article.objects.create(
        slug=slug,
        title=slug,
        body="Text.",
        section=section,
        published_at=timezone.now() - timedelta(days=days_old),
    )


def _modes() -> dict[str, str]:
    return dict(Article.objects.values_list("slug", "comment_mode"))


def test_articles_past_their_sections_limit_are_closed_once(db):
    war = Section.objects.create(name="War", slug="war", auto_close_days=3)
    sport = Section.objects.create(name="Sport", slug="sport")
    _article(war, "old-war", 4)
    _article(war, "new-war", 2)
    _article(sport, "old-sport", 400)
    assert articles_auto_close() == 1
    assert _modes() == {"old-war": "closed", "new-war": "open", "old-sport": "open"}
    assert articles_auto_close() == 0


def test_the_hourly_task_closes_them_on_the_training_queue(db):
    war = Section.objects.create(name="War", slug="war", auto_close_days=1)
    _article(war, "old-war", 2)
    assert auto_close_articles.apply().get() == 1
    assert _modes() == {"old-war": "closed"}
    entry = next(e for e in CELERY_BEAT_SCHEDULE.values() if e["task"] == auto_close_articles.name)
    assert entry["schedule"].minute == {20}
    assert CELERY_TASK_ROUTES[auto_close_articles.name] == {"queue": "training"}


def test_an_auto_closed_article_says_so_and_the_api_refuses_with_the_reason(client, db):
    war = Section.objects.create(name="War", slug="war", auto_close_days=1)
    article = _article(war, "old-war", 2)
    articles_auto_close()
    assert "Comments are closed on this article." in client.get(f"/articles/{article.slug}/").text
    response = client.post(
        f"/api/v1/articles/{article.slug}/comments/",
        {"author_name": "A", "body": "Still here?"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json() == {"detail": "Comments are closed on this article."}


def test_a_new_article_takes_its_sections_comment_mode_unless_told(db):
    war = Section.objects.create(name="War", slug="war", comment_mode="premoderated")
    plain = Section.objects.create(name="Sport", slug="sport")
    fields = {"title": "T", "body": "Text.", "author": "A"}
    assert article_create(section=war, slug="a", **fields).comment_mode == "premoderated"
    assert article_create(section=plain, slug="b", **fields).comment_mode == "open"
    told = article_create(section=war, slug="c", comment_mode="open", **fields)
    assert told.comment_mode == "open"


def test_an_article_added_in_the_admin_takes_its_sections_mode(client, editor):
    war = Section.objects.create(name="War", slug="war", comment_mode="premoderated")
    client.force_login(editor)
    now = timezone.localtime()
    response = client.post(
        "/admin/articles/article/add/",
        {
            "slug": "front",
            "title": "Front",
            "body": "Text.",
            "section": war.pk,
            "author": "A",
            "published_at_0": now.strftime("%Y-%m-%d"),
            "published_at_1": now.strftime("%H:%M:%S"),
            "comment_mode": "",
        },
    )
    assert response.status_code == 302
    assert Article.objects.get(slug="front").comment_mode == "premoderated"


@pytest.mark.usefixtures("active_models")
def test_the_demo_article_takes_its_sections_mode(db):
    Section.objects.create(name="Culture", slug="culture", comment_mode="premoderated")
    call_command("load_demo")
    assert set(_modes().values()) == {"premoderated"}
