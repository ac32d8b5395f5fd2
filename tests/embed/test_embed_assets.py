"""embed.js as a host page loads it: small, self-contained, every word from the server."""

import re

from articles.embed_assets import STATIC
from articles.embed_strings import EMBED_STRINGS

SCRIPT = (STATIC / "embed.js").read_text()


def test_it_serves_the_script_to_any_page(client):
    response = client.get("/embed.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert response.content.decode() == SCRIPT
    assert "Set-Cookie" not in response
    assert client.get("/embed.css")["Content-Type"] == "text/css; charset=utf-8"


def test_it_answers_only_reads():
    from django.test import Client

    assert Client().post("/embed.js").status_code == 405


def test_the_script_stays_within_its_size_budget():
    assert len(SCRIPT.encode()) <= 30 * 1024


def test_the_script_calls_no_one_but_the_comments_host_and_sets_no_cookie():
    # Its only addresses are built from the script's own origin (`base`).
    assert re.findall(r"https?://[\w.-]+", SCRIPT) == []
    assert "document.cookie" not in SCRIPT
    assert 'credentials: "omit"' in SCRIPT


def test_every_word_the_script_shows_comes_from_the_server():
    used = set(re.findall(r"\bT\.(\w+)", SCRIPT))
    assert used, "the script reads its texts from T"
    assert used <= set(EMBED_STRINGS), used - set(EMBED_STRINGS)
