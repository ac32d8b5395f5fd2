from datetime import UTC, datetime, timedelta

import pytest

from articles.templatetags.reader import relative_time

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(seconds=20), "just now"),
        (timedelta(minutes=1), "1 minute ago"),
        (timedelta(minutes=59), "59 minutes ago"),
        (timedelta(hours=3), "3 hours ago"),
        (timedelta(days=2), "2 days ago"),
        (timedelta(days=30), "28 October"),
        (timedelta(days=400), "23 October 2025"),
    ],
)
def test_it_says_how_long_ago(delta, text):
    assert relative_time(NOW - delta, NOW) == text
