"""`make run`'s second port: a publisher's page that embeds the demo article's comments."""

from urllib.request import urlopen

import pytest
from django.core.management import call_command

from articles.demo.content import ARTICLE, HOST_PAGE_ORIGINS
from articles.demo.host_page import HostPageServer, render_host_page, serve_in_background
from articles.models import Article, Site
from tests.embed.conftest import from_page
from tests.pipeline.models import active_models, seed_classifiers  # noqa: F401 - fixtures


@pytest.mark.usefixtures("active_models")
def test_the_demo_site_lists_the_host_page_and_the_embed_finds_the_article(client):
    call_command("load_demo")
    call_command("load_demo")  # a second run keeps the list as it is

    site = Site.objects.default()
    assert site.allowed_origins == HOST_PAGE_ORIGINS
    answer = client.get(
        f"/api/v1/embed/articles/{ARTICLE['external_id']}/", **from_page(HOST_PAGE_ORIGINS[0])
    )
    assert answer.status_code == 200
    assert answer.json()["article"]["slug"] == ARTICLE["slug"]


def test_the_host_page_embeds_the_comments_under_a_strict_policy(embedded):
    server = HostPageServer()
    server.publish(
        render_host_page(
            article=embedded,
            comments_origin="https://comments.example",
            page_url=server.page_url,
        )
    )
    serve_in_background(server)
    try:
        html = urlopen(server.page_url, timeout=5).read().decode()  # noqa: S310 - our own server
        css = urlopen(server.page_url + "host.css", timeout=5).read().decode()  # noqa: S310
    finally:
        server.shutdown()
        server.server_close()
    assert '<div id="newsroom-comments" data-article="cms-1001">' in html
    assert '<script src="https://comments.example/embed.js" async></script>' in html
    assert "script-src https://comments.example;" in html
    assert "<p>Repairs took eight months.</p>" in html
    assert "font-family" in css
    assert Article.objects.count() == 1
