import re
from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Correction
from moderation.models import Comment


def _url(article, query=""):
    return f"/articles/{article.slug}/{query}"


def _comment_ids_in_order(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<li class="comment[^"]*" id="comment-(\d+)"', html)]


def test_it_shows_the_article_with_its_parts(client, article):
    response = client.get(_url(article))
    assert response.status_code == 200
    html = response.text
    assert "<h1" in html and article.title in html
    assert article.standfirst in html and "Iryna Kovalenko" in html
    assert '<p data-paragraph="1">Repairs took eight months.</p>' in html
    assert "To suggest a correction or clarification," in html
    assert ">write to us here</a>" in html
    assert "You can also highlight the text and press <kbd data-shortcut-key>Ctrl</kbd> + " in html


def test_published_corrections_are_at_the_foot_with_their_date(client, article):
    Correction.objects.create(
        article=article,
        text="Repairs took nine months.",
        # Noon, so the date is the 23rd in the site's time zone whatever the hour now.
        published_at=timezone.now().replace(month=4, day=23, hour=12),
    )
    html = client.get(_url(article)).text
    assert "Correction, 23 April:</strong> Repairs took nine months." in html
    assert html.index("Correction, 23 April") > html.index("The mayor attended.")


def test_it_counts_approved_comments_and_shows_author_avatar_and_time(
    client, article, approved, make_comment
):
    approved("First!", minutes_ago=5, author_name="Taras")
    parent = approved("Second.", minutes_ago=4)
    approved("A reply.", minutes_ago=3, parent=parent)
    make_comment(body="held", status="pending")
    html = client.get(_url(article)).text
    assert "Comments (3)" in html
    assert "Taras" in html and "5 minutes ago" in html
    assert "articles/avatar.svg" in html


def test_replies_are_listed_under_their_parent_at_any_depth(client, article, approved):
    first = approved("first", minutes_ago=10)
    second = approved("second", minutes_ago=9)
    reply = approved("reply to first", minutes_ago=8, parent=first)
    deeper = approved("reply to the reply", minutes_ago=7, parent=reply)
    html = client.get(_url(article)).text
    assert _comment_ids_in_order(html) == [first.pk, reply.pk, deeper.pk, second.pk]
    first_block = html[
        html.index(f'id="comment-{first.pk}"') : html.index(f'id="comment-{second.pk}"')
    ]
    assert "comment-list--replies" in first_block and "reply to the reply" in first_block


def test_a_reply_under_a_rejected_comment_is_not_shown(client, article, approved, make_comment):
    gone = make_comment(body="rejected", status="rejected")
    approved("orphan reply", parent=gone)
    assert "orphan reply" not in client.get(_url(article)).text


def test_comments_sort_oldest_or_newest_first(client, article, approved):
    old = approved("old", minutes_ago=30)
    new = approved("new", minutes_ago=1)
    assert _comment_ids_in_order(client.get(_url(article)).text) == [old.pk, new.pk]
    newest = client.get(_url(article, "?sort=newest")).text
    assert _comment_ids_in_order(newest) == [new.pk, old.pk]
    assert 'href="?sort=newest#comments" aria-current="true"' in newest


def test_links_in_comments_are_plain_text(client, article, approved):
    approved('Look at https://spam.example/pills and <a href="https://x.example">this</a>')
    html = client.get(_url(article)).text
    assert "https://spam.example/pills" in html
    assert 'href="https://spam.example' not in html and 'href="https://x.example' not in html


def test_a_spoiler_is_collapsed_in_details_so_it_works_without_javascript(
    client, article, approved
):
    approved("The captain dies.", is_spoiler=True)
    html = client.get(_url(article)).text
    assert (
        '<details class="spoiler">\n      <summary>This comment contains spoilers. '
        "Click here if you want to read.</summary>"
    ) in html
    assert html.index("The captain dies.") > html.index("<details")


def test_a_closed_article_says_so_and_has_no_form(client, article):
    article.comment_mode = "closed"
    article.save()
    html = client.get(_url(article)).text
    assert "Comments are closed on this article." in html
    assert 'id="comment-form"' not in html


def test_a_premoderated_article_says_so(client, article):
    article.comment_mode = "premoderated"
    article.save()
    html = client.get(_url(article)).text
    assert "read by a moderator before they are published" in html
    assert 'id="comment-form"' in html


def test_the_comment_form_has_every_field(client, article):
    html = client.get(_url(article)).text
    for name in ("author_name", "author_email", "body", "spoiler", "parent", "csrfmiddlewaretoken"):
        assert f'name="{name}"' in html
    assert "Email (optional, never shown)" in html
    assert "This comment contains spoilers" in html


def test_reply_to_prefills_the_form(client, article, approved):
    parent = approved("Parent", author_name="Mykola")
    html = client.get(_url(article, f"?reply_to={parent.pk}")).text
    assert f'name="parent" value="{parent.pk}"' in html
    assert "Replying to <strong><bdi data-replying-name>Mykola</bdi></strong>" in html


def test_comments_are_paginated_by_thread(client, article, approved, settings):
    settings.COMMENTS_PER_PAGE = 2
    threads = [approved(f"thread {i}", minutes_ago=60 - i) for i in range(5)]
    reply = approved("late reply to the first", minutes_ago=1, parent=threads[0])
    first = client.get(_url(article)).text
    assert _comment_ids_in_order(first) == [threads[0].pk, reply.pk, threads[1].pk]
    assert "Page 1 of 3" in first and 'href="?sort=oldest&amp;page=2#comments"' in first
    third = client.get(_url(article, "?page=3")).text
    assert _comment_ids_in_order(third) == [threads[4].pk]
    assert "Comments (6)" in third


def test_a_page_past_the_last_is_404_and_a_bad_number_is_the_first(client, article, approved):
    approved()
    assert client.get(_url(article, "?page=2")).status_code == 404
    assert client.get(_url(article, "?page=abc")).status_code == 200


def test_the_fragment_is_the_page_of_comments_alone(client, article, approved):
    approved("only me")
    response = client.get(_url(article, "?fragment=comments"))
    assert response.status_code == 200
    assert "only me" in response.text and "<html" not in response.text


def _fill(article, threads: int, replies_each: int) -> None:
    now = timezone.now()
    parents = Comment.objects.bulk_create(
        Comment(
            article=article,
            author_name=f"Reader {i}",
            body=f"Comment {i}",
            status="approved",
            created_at=now - timedelta(minutes=i),
        )
        for i in range(threads)
    )
    level = parents
    for depth in range(replies_each):
        level = Comment.objects.bulk_create(
            Comment(
                article=article,
                parent=parent,
                author_name="Replier",
                body=f"Reply {depth}",
                status="approved",
                created_at=now,
            )
            for parent in level
        )


@pytest.mark.parametrize(("threads", "depth"), [(3, 1), (120, 3)])
def test_it_renders_in_a_constant_number_of_queries(
    client, article, django_assert_num_queries, threads, depth
):
    _fill(article, threads, depth)
    # The article, its corrections, the counts, the page of threads, their replies, the
    # editors' picks.
    with django_assert_num_queries(6):
        response = client.get(_url(article))
    assert response.status_code == 200
    assert response.text.count('class="comment"') + response.text.count(
        'class="comment comment--pending"'
    ) == min(threads, 50) * (1 + depth)


def test_a_cached_page_of_comments_costs_three_queries(
    client, article, approved, django_assert_num_queries
):
    approved("cached")
    client.get(_url(article))
    # The article, its corrections, the counts that key the cache.
    with django_assert_num_queries(3):
        assert "cached" in client.get(_url(article)).text


def test_a_moderators_decision_shows_at_once_despite_the_cache(
    client, article, approved, make_comment, moderator
):
    from moderation.services import comment_approve, comment_set_spoiler

    shown = approved("already there")
    held = make_comment(body="held back", status="pending")
    assert "held back" not in client.get(_url(article)).text
    comment_approve(comment_id=held.pk, actor=moderator)
    assert "held back" in client.get(_url(article)).text
    comment_set_spoiler(comment_id=shown.pk, actor=moderator, is_spoiler=True)
    html = client.get(_url(article)).text
    assert html.index("This comment contains spoilers") < html.index("already there")


def test_the_cache_can_be_turned_off(
    client, article, approved, settings, django_assert_num_queries
):
    settings.COMMENT_PAGE_CACHE_SECONDS = 0
    approved()
    client.get(_url(article))
    with django_assert_num_queries(6):
        client.get(_url(article))
