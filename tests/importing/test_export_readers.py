"""The export readers alone: records out of the files, errors named, nothing else."""

import io
from pathlib import Path

import pytest

from moderation.importing.disqus import read_disqus
from moderation.importing.records import (
    ImportedArticle,
    ImportedComment,
    ImportFileError,
    ItemError,
)
from moderation.importing.wxr import read_wxr

FILES = Path(__file__).parent / "files"


def test_disqus_threads_become_articles_and_posts_comments_in_order() -> None:
    items = list(read_disqus((FILES / "disqus.xml").open("rb")))
    articles = [i for i in items if isinstance(i, ImportedArticle)]
    comments = [i for i in items if isinstance(i, ImportedComment)]
    assert [a.key for a in articles] == ["cms-4411", "https://www.example.com/2019/market-day"]
    assert [(c.key, c.parent_key, c.status) for c in comments] == [
        ("9001", "", "approved"),
        ("9002", "9001", "approved"),
        ("9003", "", "spam"),
        ("9004", "", "rejected"),
    ]
    assert comments[0].body == "Finally! I cross it every day & missed it."
    assert comments[1].body == "Me too.\n\nTook them long enough."


def test_wxr_items_carry_their_reader_comments_only() -> None:
    (article,) = list(read_wxr((FILES / "wxr.xml").open("rb")))
    assert isinstance(article, ImportedArticle)
    assert article.author == "Anna Reporter"
    assert "voted 7 to 2" in article.body_html
    # The pingback (33) is not a reader's comment; the attachment is not an article.
    assert [(c.key, c.parent_key, c.status) for c in article.comments] == [
        ("31", "", "approved"),
        ("32", "31", "pending"),
        ("34", "", "spam"),
    ]


def test_an_unusable_item_is_reported_and_the_rest_read() -> None:
    items = list(read_disqus((FILES / "bad_items.xml").open("rb")))
    errors = [str(i) for i in items if isinstance(i, ItemError)]
    assert [i.key for i in items if isinstance(i, ImportedComment)] == ["11"]
    assert errors == [
        "Post 12: 'yesterday' is not a date and time.",
        "Post 13: its thread 999 is not in the file.",
    ]


def test_a_truncated_file_stops_at_the_broken_item_naming_the_line() -> None:
    reader = read_wxr((FILES / "truncated_wxr.xml").open("rb"))
    first = next(reader)
    assert isinstance(first, ImportedArticle) and first.key == "700"
    with pytest.raises(ImportFileError, match="line"):
        next(reader)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"post_id,comment\n1,hello\n", "Not well-formed XML"),
        ((FILES / "billion_laughs.xml").read_bytes(), "DTD"),
        ((FILES / "wxr.xml").read_bytes(), "not an export of this format"),
    ],
)
def test_a_file_that_is_not_a_disqus_export_is_refused(data: bytes, message: str) -> None:
    with pytest.raises(ImportFileError, match=message):
        list(read_disqus(io.BytesIO(data)))
