"""The comments embedded in a publisher's page on another origin, in a real Chromium.

The host page is served from its own port (another origin than the live server, the
comments host) with a strict Content-Security-Policy that allows the comments host
only; the reader reads, reveals a spoiler, posts, replies, reports and asks for a
correction through embed.js, and a page the site does not list gets nothing.
"""

import os
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import Page, expect

from articles.demo.host_page import HostPageServer, render_host_page, serve_in_background
from articles.models import Article, CorrectionRequest, Reader, Site
from articles.sso import sign_reader_token
from moderation.models import Comment, CommentReport

pytestmark = pytest.mark.django_db(transaction=True)

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture(autouse=True)
def _embed_setup(monkeypatch):
    # Scoring is the pipeline's business: a comment stays as posted.
    monkeypatch.setattr("moderation.services._enqueue_scoring", lambda comment_id: None)
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def site(db) -> Site:
    site = Site.objects.default()
    site.name = "The Riverside Courier"
    site.sso_secret = "riverside-sso-secret-" + "r" * 32
    site.save()
    return site


@pytest.fixture
def story(article, site) -> Article:
    article.site = site
    article.external_id = "cms-1001"
    article.save()
    now = timezone.now()
    Comment.objects.create(
        article=article,
        author_name="Mykola",
        body="Which line is it?",
        status="approved",
        created_at=now - timedelta(minutes=20),
    )
    Comment.objects.create(
        article=article,
        author_name="Oksana",
        body="The mayor cut the ribbon and then fell in the river.",
        status="approved",
        is_spoiler=True,
        created_at=now - timedelta(minutes=10),
    )
    return article


@pytest.fixture
def host_page(live_server, story) -> Iterator[Callable[..., str]]:
    """Serve the publisher's page on a port of its own (listed by the site if `listed`)
    and give its address."""
    servers: list[HostPageServer] = []

    def serve(*, listed: bool = True, sso_token: str = "") -> str:
        server = HostPageServer()
        server.publish(
            render_host_page(
                article=story,
                comments_origin=live_server.url,
                page_url=server.page_url,
                sso_token=sso_token,
            )
        )
        serve_in_background(server)
        servers.append(server)
        if listed:
            story.site.allowed_origins = [server.page_url.rstrip("/")]
            story.site.save()
        return server.page_url

    yield serve
    for server in servers:
        server.shutdown()
        server.server_close()


def _watch_console(page: Page) -> list[str]:
    problems: list[str] = []
    page.on(
        "console",
        lambda message: problems.append(message.text) if message.type == "error" else None,
    )
    return problems


def _select(page: Page, paragraph: int, phrase: str) -> None:
    page.evaluate(
        """([index, phrase]) => {
          const p = document.querySelectorAll("[data-article-body] p")[index];
          const node = p.firstChild;
          const start = node.data.indexOf(phrase);
          const range = document.createRange();
          range.setStart(node, start);
          range.setEnd(node, start + phrase.length);
          window.getSelection().removeAllRanges();
          window.getSelection().addRange(range);
        }""",
        [paragraph, phrase],
    )


def test_a_reader_uses_the_comments_on_a_publishers_page(page: Page, host_page, story):
    url = host_page()
    problems = _watch_console(page)
    page.goto(url)
    embed = page.locator("#newsroom-comments")
    expect(embed).to_have_attribute("data-state", "ready")
    expect(page.get_by_role("heading", name="Comments (2)")).to_be_visible()
    expect(embed).to_contain_text("Which line is it?")

    # A spoiler stays folded until the reader asks for it.
    spoiler = page.get_by_text("fell in the river")
    expect(spoiler).to_be_hidden()
    page.get_by_text("This comment contains spoilers. Click here if you want to read.").click()
    expect(spoiler).to_be_visible()

    # A comment, shown to its author as awaiting moderation.
    page.get_by_label("Name").fill("Taras")
    page.get_by_label("Your comment").fill("Glad the trains are running again.")
    page.get_by_role("button", name="Post comment").click()
    mine = embed.locator(".nrc-comment--pending")
    expect(mine).to_contain_text("Glad the trains are running again.")
    expect(mine).to_contain_text("Awaiting moderation")
    posted = Comment.objects.get(author_name="Taras")
    assert (posted.status, posted.article, posted.parent) == ("pending", story, None)

    # A reply to Mykola.
    page.get_by_role("button", name="Reply to Mykola").click()
    expect(embed).to_contain_text("Replying to Mykola.")
    page.get_by_label("Your comment").fill("The red line, from Lisova.")
    page.get_by_role("button", name="Post comment").click()
    expect(embed.locator(".nrc-comment--pending")).to_have_count(2)
    reply = Comment.objects.get(body="The red line, from Lisova.")
    assert reply.parent.author_name == "Mykola"

    # A report on Oksana's comment.
    page.get_by_role("button", name="Report comment by Oksana").click()
    dialog = page.get_by_role("dialog", name="Report a comment")
    dialog.get_by_label("Spam or advertising").check()
    dialog.get_by_role("button", name="Send report").click()
    expect(dialog.get_by_text("A moderator will look at this comment.")).to_be_visible()
    dialog.get_by_role("button", name="Close").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("button", name="Report comment by Oksana")).to_have_text("Reported")
    report = CommentReport.objects.get()
    assert (report.comment.author_name, report.reason) == ("Oksana", "spam")

    # A correction: words of the publisher's own article text, then Ctrl+Enter.
    _select(page, 1, "eight months")
    page.keyboard.press("Control+Enter")
    dialog = page.get_by_role("dialog", name="Suggest a correction")
    expect(dialog).to_contain_text("eight months")
    dialog.get_by_label("What is wrong, and what should it say?").fill("It took nine months.")
    dialog.get_by_role("button", name="Send suggestion").click()
    expect(dialog.get_by_text("The editors will look at your suggestion.")).to_be_visible()
    request = CorrectionRequest.objects.get()
    assert (request.quote, request.paragraph_index, request.suggestion) == (
        "eight months",
        1,
        "It took nine months.",
    )
    assert "Repairs took" in request.prefix + request.quote

    # Nothing was blocked by the host's policy, and no cookie was set anywhere.
    assert [p for p in problems if "Content Security Policy" in p] == []
    assert page.context.cookies() == []


def test_a_page_the_site_does_not_list_gets_nothing(page: Page, host_page, story):
    url = host_page(listed=False)
    page.goto(url)
    embed = page.locator("#newsroom-comments")
    expect(embed).to_have_attribute("data-state", "unavailable")
    expect(embed).to_have_text("")
    expect(page.get_by_text("Which line is it?")).to_have_count(0)


def test_a_reader_signed_in_by_the_publisher_comments_with_a_mark(page: Page, host_page, story):
    token = sign_reader_token(
        site=story.site, subject="u-42", name="Olena Marchuk", email="olena@example.org"
    )
    url = host_page(sso_token=token)
    page.goto(url)
    expect(page.get_by_text("Commenting as Olena Marchuk")).to_be_visible()
    expect(page.get_by_label("Name")).to_have_count(0)
    page.get_by_label("Your comment").fill("I take this line every day.")
    page.get_by_role("button", name="Post comment").click()
    expect(page.locator(".nrc-comment--pending")).to_contain_text("Olena Marchuk")
    comment = Comment.objects.get(body="I take this line every day.")
    assert comment.reader == Reader.objects.get(sso_subject="u-42")

    Comment.objects.filter(pk=comment.pk).update(status="approved")
    cache.clear()
    page.reload()
    mark = page.get_by_role("img", name="Signed in with The Riverside Courier")
    expect(mark).to_be_visible()
    expect(page.get_by_text("olena@example.org")).to_have_count(0)


def test_the_embed_shows_deletions_edits_and_picks(page: Page, host_page, story):
    mykola = Comment.objects.get(author_name="Mykola")
    Comment.objects.create(
        article=story, parent=mykola, author_name="Ivan", body="The red one.", status="approved"
    )
    Comment.objects.filter(pk=mykola.pk).update(body="", deleted_at=timezone.now())
    Comment.objects.filter(author_name="Oksana").update(
        edited_at=timezone.now(), featured_at=timezone.now()
    )
    page.goto(host_page())

    deleted = page.locator(f"#nrc-comment-{mykola.pk}")
    expect(deleted).to_contain_text("This comment was deleted by its author.")
    expect(deleted.get_by_text("The red one.")).to_be_visible()
    expect(deleted.locator(".nrc-actions").first).to_contain_text("Reply")  # the reply's
    expect(deleted.locator(":scope > .nrc-card .nrc-actions")).to_have_count(0)
    oksana = page.locator(".nrc-comment", has_text="Oksana").first
    expect(oksana.locator(".nrc-edited")).to_have_text("edited")
    expect(oksana.get_by_text("Editors’ pick")).to_be_visible()


def test_the_host_signs_a_reader_in_from_its_own_script(page: Page, host_page, story):
    page.goto(host_page())
    expect(page.get_by_label("Name")).to_be_visible()
    token = sign_reader_token(site=story.site, subject="u-7", name="Taras Bulba")
    page.evaluate("token => window.NewsroomComments.signIn(token)", token)
    expect(page.get_by_text("Commenting as Taras Bulba")).to_be_visible()
    page.get_by_label("Your comment").fill("Signed in from the page's own script.")
    page.get_by_role("button", name="Post comment").click()
    expect(page.locator(".nrc-comment--pending")).to_contain_text("Taras Bulba")
    assert Comment.objects.get(reader__isnull=False).reader.sso_subject == "u-7"

    page.evaluate("window.NewsroomComments.signOut()")
    expect(page.get_by_label("Name")).to_be_visible()


def test_a_screenshot_of_the_embed_on_a_plain_host_page(page: Page, host_page, tmp_path):
    url = host_page()
    page.set_viewport_size({"width": 900, "height": 1400})
    page.goto(url)
    expect(page.locator("#newsroom-comments")).to_have_attribute("data-state", "ready")
    page.get_by_text("This comment contains spoilers. Click here if you want to read.").click()
    out = DOCS if os.environ.get("SCREENSHOTS") == "1" else tmp_path
    out.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(out / "embed.png"), full_page=True)
    assert (out / "embed.png").stat().st_size > 10_000
