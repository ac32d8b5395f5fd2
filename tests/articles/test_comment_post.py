import pytest
from django.test import Client

from moderation.models import Comment


def _post(client, article, **fields):
    data = {"author_name": "Oksana", "author_email": "", "body": "Well reported.", **fields}
    return client.post(f"/articles/{article.slug}/comments/", data)


def test_it_saves_a_pending_comment_and_shows_it_to_its_author_only(client, article):
    response = _post(client, article, author_email="oksana@example.org")
    comment = Comment.objects.get()
    assert response.status_code == 303
    assert response["Location"] == f"/articles/{article.slug}/#comment-{comment.pk}"
    assert comment.status == "pending" and comment.author_email == "oksana@example.org"
    assert comment.ip_address == "127.0.0.1"

    own = client.get(f"/articles/{article.slug}/").text
    assert "Well reported." in own and "Awaiting moderation" in own
    assert "only you can see it until it is published" in own
    assert "oksana@example.org" not in own
    assert "Comments (0)" in own

    other = Client().get(f"/articles/{article.slug}/").text
    assert "Well reported." not in other


def test_once_approved_it_is_published_for_everyone(client, article):
    _post(client, article)
    Comment.objects.update(status="approved")
    html = Client().get(f"/articles/{article.slug}/").text
    assert "Well reported." in html and "Comments (1)" in html
    assert "Awaiting moderation" not in client.get(f"/articles/{article.slug}/").text


def test_a_comment_taken_for_spam_still_awaits_moderation_for_its_author(client, article):
    _post(client, article)
    Comment.objects.update(status="spam")
    assert "Awaiting moderation" in client.get(f"/articles/{article.slug}/").text


def test_the_readers_spoiler_tag_is_kept(client, article):
    _post(client, article, spoiler="on")
    assert Comment.objects.get().author_spoiler_tag is True


def test_a_reply_goes_under_its_parent(client, article, approved):
    parent = approved("Parent", author_name="Mykola")
    _post(client, article, parent=str(parent.pk), body="I agree with Mykola.")
    reply = Comment.objects.get(parent=parent)
    html = client.get(f"/articles/{article.slug}/").text
    assert html.index(f'id="comment-{parent.pk}"') < html.index(f'id="comment-{reply.pk}"')
    assert "I agree with Mykola." in html


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"author_name": ""}, "author_name", "Please give a name to sign your comment with."),
        ({"body": "   "}, "body", "The comment is empty."),
        ({"body": "x" * 5001}, "body", "Comments are at most 5000 characters"),
        ({"author_email": "not-an-email"}, "author_email", "Enter a valid email address"),
    ],
)
def test_field_errors_are_shown_inline_and_nothing_is_saved(
    client, article, fields, field, message
):
    response = _post(client, article, **fields)
    assert response.status_code == 400
    assert f'<p class="field__error" id="id_{field}-error">{message}' in response.text
    assert 'aria-invalid="true"' in response.text
    assert Comment.objects.count() == 0


def test_a_body_at_the_limit_with_windows_line_ends_is_accepted(client, article):
    body = ("x" * 99 + "\r\n") * 50
    assert _post(client, article, body=body[:-2]).status_code == 303


def test_the_form_keeps_what_the_reader_wrote_after_an_error(client, article):
    response = _post(client, article, author_name="", body="Keep this text")
    assert ">\nKeep this text</textarea>" in response.text


REPLY_REFUSED = "You can only reply to a published comment on this article."


@pytest.mark.parametrize(
    "kind", ["missing", "another article's", "pending", "spam", "abc", "99999999999999999999"]
)
def test_every_parent_a_reply_cannot_have_gets_one_answer(client, article, make_comment, kind):
    from articles.models import Article, Section

    if kind == "missing":
        parent = str(make_comment(status="approved").pk + 1000)
    elif kind == "another article's":
        other = Article.objects.create(
            slug="other",
            title="Other",
            body="Text.",
            section=Section.objects.named("X"),
            author="Y",
        )
        parent = str(make_comment(article=other, status="approved").pk)
    elif kind in ("pending", "spam"):
        parent = str(make_comment(status=kind).pk)
    else:
        parent = kind
    before = Comment.objects.count()
    response = _post(client, article, parent=parent)
    assert response.status_code == 400
    assert REPLY_REFUSED in response.text
    assert "not on this article" not in response.text
    assert Comment.objects.count() == before


def test_a_closed_article_refuses_comments(client, article):
    article.comment_mode = "closed"
    article.save()
    response = _post(client, article)
    assert response.status_code == 400
    assert "Comments are closed on this article." in response.text
    assert Comment.objects.count() == 0


def test_the_honeypot_pretends_success_and_saves_nothing(client, article):
    response = _post(client, article, homepage="http://spam.example")
    assert response.status_code == 303
    assert Comment.objects.count() == 0


def test_it_needs_a_csrf_token(article):
    client = Client(enforce_csrf_checks=True)
    assert _post(client, article).status_code == 403
    assert Comment.objects.count() == 0


def test_it_is_post_only(client, article):
    assert client.get(f"/articles/{article.slug}/comments/").status_code == 405


def test_too_many_comments_are_answered_politely(client, article, settings):
    settings.COMMENT_RATE_LIMIT = "2/minute"
    assert _post(client, article).status_code == 303
    assert _post(client, article).status_code == 303
    response = _post(client, article)
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert "Please wait a minute and try again." in response.text
    assert Comment.objects.count() == 2


def test_ukrainian_comments_are_kept_and_shown(client, article):
    _post(client, article, author_name="Олена", body="Дякую за статтю! Міст справді гарний.")
    comment = Comment.objects.get()
    assert comment.body == "Дякую за статтю! Міст справді гарний."
    assert "Дякую за статтю! Міст справді гарний." in client.get(f"/articles/{article.slug}/").text


def test_html_in_a_comment_is_shown_as_text_to_its_author(client, article):
    _post(client, article, body="<img src=x onerror=alert(1)>")
    html = client.get(f"/articles/{article.slug}/").text
    assert "&lt;img src=x onerror=alert(1)&gt;" in html and "<img src=x" not in html


def test_a_pending_reply_to_a_thread_on_another_page_is_shown_on_the_first(
    client, article, approved, settings
):
    settings.COMMENTS_PER_PAGE = 1
    approved("first thread", minutes_ago=10)
    later = approved("second thread", minutes_ago=5)
    _post(client, article, parent=str(later.pk), body="My reply to the second.")
    reply = Comment.objects.get(parent=later)
    first_page = client.get(f"/articles/{article.slug}/").text
    second_page = client.get(f"/articles/{article.slug}/?page=2").text
    assert f'id="comment-{reply.pk}"' in first_page
    assert second_page.index(f'id="comment-{later.pk}"') < second_page.index(
        f'id="comment-{reply.pk}"'
    )
    assert second_page.count(f'id="comment-{reply.pk}"') == 1
