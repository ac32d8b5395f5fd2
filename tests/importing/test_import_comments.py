"""`manage.py import_comments`: articles and threaded comments from an export, once."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, Site
from moderation.models import Comment, ModerationEvent
from moderation.selectors import comment_list_labelled

pytestmark = pytest.mark.django_db
FILES = Path(__file__).parent / "files"


def run(fmt: str, name: str, *args: str) -> None:
    call_command("import_comments", str(FILES / name), "--format", fmt, *args)


def by_author() -> dict[str, Comment]:
    return {c.author_name: c for c in Comment.objects.select_related("parent", "article")}


def test_a_disqus_export_brings_articles_and_threads_with_their_states() -> None:
    run("disqus", "disqus.xml")
    site = Site.objects.default()
    bridge = Article.objects.get(site=site, external_id="cms-4411")
    assert bridge.url == "https://www.example.com/2019/bridge-reopens"
    assert Article.objects.filter(external_id="https://www.example.com/2019/market-day").exists()
    comments = by_author()
    assert comments["Mark"].parent == comments["Olena"]
    assert comments["Olena"].author_email == "olena@example.org"
    assert comments["Olena"].created_at == datetime(2019, 3, 2, 9, 15, tzinfo=UTC)
    assert comments["Olena"].ip_address == "198.51.100.7"
    assert {name: c.status for name, c in comments.items()} == {
        "Olena": "approved",
        "Mark": "approved",
        "Best Deals": "spam",
        "Ivan": "rejected",
    }
    # Not scored, not labels: left out of the sweep and of training.
    assert all(c.scored_at is not None and c.spam_score is None for c in comments.values())
    assert not comment_list_labelled(task="spam").exists()
    assert ModerationEvent.objects.filter(action="imported").count() == 4


def test_a_second_run_adds_nothing(capsys) -> None:
    run("disqus", "disqus.xml")
    run("disqus", "disqus.xml")
    assert Comment.objects.count() == 4
    assert Article.objects.count() == 2
    assert "0 article(s) and 0 comment(s) imported; 4 comment(s) were already here" in (
        capsys.readouterr().out
    )


def test_a_wordpress_export_brings_posts_with_their_text_and_reader_comments() -> None:
    run("wxr", "wxr.xml")
    article = Article.objects.get(external_id="512")
    assert article.paragraphs == [
        "The council voted 7 to 2 for the library.",
        "Building starts in spring.",
    ]
    assert article.author == "Anna Reporter"
    comments = by_author()
    assert set(comments) == {"Petro", "Maria", "Pills"}  # the pingback is left out
    assert comments["Maria"].parent == comments["Petro"]
    assert (comments["Maria"].status, comments["Pills"].status) == ("pending", "spam")


def test_with_score_the_comments_wait_for_scoring_and_their_states_are_labels() -> None:
    run("wxr", "wxr.xml", "--score")
    assert Comment.objects.filter(scored_at__isnull=True).count() == 3
    labelled = set(comment_list_labelled(task="spam").values_list("author_name", flat=True))
    # The pending one is no one's decision yet.
    assert labelled == {"Petro", "Pills"}


def test_a_truncated_file_keeps_the_whole_items_before_the_break(capsys) -> None:
    with pytest.raises(CommandError, match=r"line \d+"):
        run("wxr", "truncated_wxr.xml")
    assert list(Article.objects.values_list("external_id", flat=True)) == ["700"]
    assert list(Comment.objects.values_list("author_name", flat=True)) == ["Ann"]
    assert "1 article(s) and 1 comment(s) imported" in capsys.readouterr().out


def test_unusable_items_are_named_and_the_good_ones_kept(capsys) -> None:
    with pytest.raises(CommandError, match="2 item"):
        run("disqus", "bad_items.xml")
    assert list(Comment.objects.values_list("author_name", flat=True)) == ["A"]
    errors = capsys.readouterr().err
    assert "Post 12: 'yesterday' is not a date and time." in errors
    assert "Post 13: its thread 999 is not in the file." in errors


@pytest.mark.parametrize(
    ("fmt", "name", "message"),
    [
        ("disqus", "billion_laughs.xml", "DTD"),
        ("wxr", "disqus.xml", "not an export of this format"),
        ("disqus", "../../sync/files/feed.atom", "not an export of this format"),
    ],
)
def test_a_file_that_cannot_be_imported_is_a_clear_error_and_writes_nothing(
    fmt: str, name: str, message: str
) -> None:
    with pytest.raises(CommandError, match=message):
        run(fmt, name)
    assert not Article.objects.exists()
    assert not Comment.objects.exists()


def test_a_file_that_is_not_xml_is_refused(tmp_path) -> None:
    csv = tmp_path / "comments.csv"
    csv.write_text("id,author,text\n1,Ann,Hello\n")
    with pytest.raises(CommandError, match="Not well-formed XML at line 1"):
        call_command("import_comments", str(csv), "--format", "wxr")
    assert not Comment.objects.exists()


def test_a_missing_file_is_a_clear_error() -> None:
    with pytest.raises(CommandError, match="Cannot read"):
        run("wxr", "nowhere.xml")
