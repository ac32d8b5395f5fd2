import pytest
from django.core.exceptions import ValidationError

from articles.models import Article, Section
from moderation.models import Comment, ModerationEvent
from moderation.services import comment_submit


def _errors(excinfo: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return excinfo.value.message_dict


def test_it_saves_a_pending_comment_and_a_submitted_event(
    article, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        comment = comment_submit(
            article=article,
            author_name=" Oksana ",
            body="Good news for Darnytsia.\r\n",
            author_email="Oksana@Example.org",
            ip_address="10.0.0.1",
            user_agent="UA",
        )
    comment.refresh_from_db()
    assert comment.status == "pending"
    assert comment.author_name == "Oksana"
    assert comment.body == "Good news for Darnytsia."
    assert comment.author_email == "oksana@example.org"
    assert comment.ip_address == "10.0.0.1"
    assert list(comment.events.values_list("action", flat=True)) == ["submitted"]
    assert len(callbacks) == 1, "scoring is queued once the transaction commits"


def test_it_keeps_the_readers_spoiler_tag(article):
    comment = comment_submit(
        article=article, author_name="Viktor", body="He dies.", spoiler_tag=True
    )
    assert comment.author_spoiler_tag and comment.is_spoiler


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"body": ""}, "body"),
        ({"body": "   \n  "}, "body"),
        ({"body": "x" * 5001}, "body"),
        ({"author_name": ""}, "author_name"),
        ({"author_name": "n" * 81}, "author_name"),
        ({"author_email": "not-an-email"}, "author_email"),
    ],
)
def test_it_refuses_bad_fields_and_writes_nothing(article, fields, field):
    values = {"author_name": "Oksana", "body": "Fine.", **fields}
    with pytest.raises(ValidationError) as excinfo:
        comment_submit(article=article, **values)
    assert field in _errors(excinfo)
    assert Comment.objects.count() == 0
    assert ModerationEvent.objects.count() == 0


def test_it_accepts_a_body_at_the_limit(article):
    comment = comment_submit(article=article, author_name="Oksana", body="я" * 5000)
    assert len(comment.body) == 5000


def test_it_refuses_comments_on_a_closed_article(article):
    article.comment_mode = Article.CommentMode.CLOSED
    article.save()
    with pytest.raises(ValidationError) as excinfo:
        comment_submit(article=article, author_name="Oksana", body="Hello")
    assert "article" in _errors(excinfo)
    assert Comment.objects.count() == 0


def _unusable_parent(kind: str, article: Article, make_comment) -> int:
    if kind == "missing":
        return make_comment(status="approved").pk + 1000
    if kind == "another article's":
        other = Article.objects.create(
            slug="other",
            title="Other",
            body="Text",
            section=Section.objects.named("World"),
            author="A",
        )
        return make_comment(article=other, status="approved").pk
    return make_comment(status=kind).pk


@pytest.mark.parametrize("kind", ["missing", "another article's", "pending", "spam", "rejected"])
def test_it_gives_one_answer_for_every_parent_a_reply_cannot_have(article, make_comment, kind):
    parent_id = _unusable_parent(kind, article, make_comment)
    before = Comment.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        comment_submit(article=article, author_name="Oksana", body="Reply", parent_id=parent_id)
    assert _errors(excinfo) == {
        "parent": ["You can only reply to a published comment on this article."]
    }
    assert Comment.objects.count() == before


def test_it_files_a_reply_under_a_published_comment(article, make_comment):
    parent = make_comment(status="approved")
    reply = comment_submit(article=article, author_name="Ann", body="Yes", parent_id=parent.pk)
    assert reply.parent == parent


def test_it_drops_control_characters(article):
    comment = comment_submit(article=article, author_name="Ok\x00sana", body="Nul\x00 byte\x07")
    assert comment.author_name == "Oksana"
    assert comment.body == "Nul byte"


def test_the_database_refuses_an_empty_body(article):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.create(article=article, author_name="A", body="")
