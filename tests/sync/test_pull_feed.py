"""Articles from a site's feed: `manage.py pull_feed` and the beat task."""

import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from articles.models import Article, Site
from articles.tasks import pull_feeds

pytestmark = pytest.mark.django_db
FILES = Path(__file__).parent / "files"


def test_it_upserts_the_feed_entries_once(site, capsys) -> None:
    call_command("pull_feed", "--site", site.slug, "--file", str(FILES / "feed.atom"))
    assert "2 created, 0 updated, 0 unchanged" in capsys.readouterr().out
    tram = Article.objects.get(site=site, external_id="tag:example.com,2026:article-801")
    assert tram.paragraphs == ["The extension adds two stops.", "Trams run every ten minutes."]
    assert tram.section.name == "City"
    assert tram.url == "https://www.example.com/city/tram-line-4"
    call_command("pull_feed", "--site", site.slug, "--file", str(FILES / "feed.atom"))
    assert "0 created, 0 updated, 2 unchanged" in capsys.readouterr().out
    assert Article.objects.filter(site=site).count() == 2


def test_what_is_not_a_feed_is_a_clear_error(site, tmp_path) -> None:
    junk = tmp_path / "feed.xml"
    junk.write_bytes(b"\x00\x01 not a feed")
    with pytest.raises(CommandError, match="Not a readable RSS or Atom feed"):
        call_command("pull_feed", "--site", site.slug, "--file", str(junk))
    assert not Article.objects.exists()


def test_a_site_without_a_feed_url_is_told_so(site) -> None:
    with pytest.raises(CommandError, match="no feed URL"):
        call_command("pull_feed", "--site", site.slug)


@pytest.fixture
def feed_server() -> Iterator[str]:
    handler = partial(SimpleHTTPRequestHandler, directory=str(FILES))
    handler.log_message = lambda *args: None  # type: ignore[attr-defined]
    for port in range(8550, 8560):
        try:
            server = ThreadingHTTPServer(("127.0.0.1", port), handler)
            break
        except OSError:
            continue
    else:
        raise RuntimeError("No free port for the feed server.")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{port}"
    server.shutdown()
    server.server_close()


def test_the_beat_task_pulls_every_site_with_a_feed_url(site, feed_server) -> None:
    site.feed_url = f"{feed_server}/feed.atom"
    site.save()
    Site.objects.create(name="Broken", slug="broken", feed_url=f"{feed_server}/missing.xml")
    assert pull_feeds() == {"daily-example": 2}
    assert Article.objects.filter(site=site).count() == 2
    broken = Site.objects.get(slug="broken")
    assert "404" in broken.feed_error
    assert settings.CELERY_BEAT_SCHEDULE["pull-feeds"]["task"] == "articles.tasks.pull_feeds"
