from datetime import UTC, datetime
from pathlib import Path

import pytest

from articles.feeds import FeedError, read_feed

FEED = Path(__file__).parent / "files" / "feed.atom"


def test_it_reads_entries_with_their_text_and_section() -> None:
    first, second = read_feed(FEED.read_bytes())
    assert first.external_id == "tag:example.com,2026:article-801"
    assert first.url == "https://www.example.com/city/tram-line-4"
    assert first.body == "The extension adds two stops.\n\nTrams run every ten minutes."
    assert first.standfirst == "Two new stops open on Monday."
    assert first.section == "City"
    assert first.author == "Oksana Writer"
    assert first.published_at == datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    # An entry with only a summary: the summary is its text.
    assert second.body == "The central library opens at nine from December."
    assert second.standfirst == ""


def test_it_refuses_what_is_not_a_feed() -> None:
    with pytest.raises(FeedError):
        read_feed(b"\x00\x01 this is not xml")
