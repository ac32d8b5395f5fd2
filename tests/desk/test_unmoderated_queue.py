"""The unmoderated queue, its random sample, and the status filter each queue offers."""

import re
from datetime import timedelta

from django.utils import timezone

from moderation.models import Comment

QUEUE = "/admin/moderation/comment/"


def _rows(response) -> list[str]:
    return [c.body for c in response.context["cl"].result_list]


def test_it_lists_what_the_model_published_and_nobody_looked_at_newest_first(
    client, moderator, make_comment
):
    now = timezone.now()
    make_comment("older", status="approved", created_at=now - timedelta(hours=2))
    make_comment("newer", status="approved", created_at=now - timedelta(minutes=5))
    make_comment("seen", status="approved", decided_at=now, decided_by=moderator)
    make_comment("waiting", status="pending")
    client.force_login(moderator)
    assert _rows(client.get(QUEUE + "?queue=unmoderated")) == ["newer", "older"]


def test_the_dashboard_counts_the_unmoderated(client, moderator, make_comment):
    make_comment(status="approved")
    make_comment(status="approved")
    client.force_login(moderator)
    html = client.get("/admin/").content.decode()
    assert 'data-queue="unmoderated">2<' in html and "Unmoderated" in html


def test_the_sample_is_twenty_comments_the_model_published_today(client, moderator, make_comment):
    yesterday = timezone.localtime().replace(hour=0, minute=0) - timedelta(hours=3)
    for n in range(25):
        make_comment(f"today {n}", status="approved")
    make_comment("yesterday", status="approved", created_at=yesterday)
    make_comment("held", status="pending")
    client.force_login(moderator)
    rows = _rows(client.get(QUEUE + "?queue=unmoderated&sample=today"))
    assert len(rows) == 20 and len(set(rows)) == 20
    assert all(body.startswith("today ") for body in rows)


def _status_choices(html: str) -> set[str]:
    return set(re.findall(r"status__exact=(\w+)", html))


def test_the_status_filter_offers_only_what_the_queue_can_hold(client, moderator, make_comment):
    make_comment()
    client.force_login(moderator)
    assert _status_choices(client.get(QUEUE + "?queue=pending").content.decode()) == {"pending"}
    assert _status_choices(client.get(QUEUE + "?queue=auto_spam").content.decode()) == {"spam"}
    assert _status_choices(client.get(QUEUE + "?queue=reported").content.decode()) == {
        "pending",
        "approved",
    }
    assert _status_choices(client.get(QUEUE + "?queue=all").content.decode()) == {
        "pending",
        "approved",
        "rejected",
        "spam",
    }


def test_a_row_shows_the_whole_comment_or_its_start_with_more(client, moderator, make_comment):
    short = "Short and whole."
    long = "Word " * 120  # 600 characters
    make_comment(short)
    make_comment(long.strip())
    client.force_login(moderator)
    html = client.get(QUEUE + "?queue=pending").content.decode()
    assert short in html
    assert html.count('class="desk-more"') == 1 and ">more<" in html


def test_a_reply_row_quotes_its_parent_and_names_the_article(client, moderator, make_comment):
    parent = make_comment("The bridge took eight months.", status="approved", author_name="Ivan")
    make_comment("And it still leaks.", parent=parent)
    client.force_login(moderator)
    html = client.get(QUEUE + "?queue=pending").content.decode()
    assert "In reply to Ivan:" in html and "The bridge took eight months." in html
    assert "Metro bridge reopens after repairs" in html


def test_a_row_shows_each_tasks_score_and_the_top_reasons_in_words(
    client, moderator, scored_comment
):
    scored_comment(
        rule_hits=[{"rule": "word_list", "action": "hold", "reason": "suspect term 'moron'"}]
    )
    client.force_login(moderator)
    html = client.get(QUEUE + "?queue=pending").content.decode()
    assert 'data-task="spam"' in html and 'data-task="spoiler"' in html
    why = re.search(r'<ul class="desk-why">(.*?)</ul>', html, re.S)
    assert why is not None
    assert re.findall(r"<bdi>(.*?)</bdi>", why.group(1)) == [
        "suspect term &#x27;moron&#x27;",
        "spam: “casino”",
        "spam: “http”",
    ]


def test_the_filters_are_drawn_alone_with_the_counts_of_now(client, moderator, make_comment):
    first = make_comment("first", status="pending")
    make_comment("second", status="pending")
    client.force_login(moderator)
    url = QUEUE + "filters/?queue=pending"
    assert "Pending (2)" in client.get(url).content.decode()
    Comment.objects.filter(pk=first.pk).update(status="approved")
    html = client.get(url).content.decode()
    assert "Pending (1)" in html and "Unmoderated (1)" in html
    assert "result_list" not in html and "second" not in html


def test_a_stranger_gets_no_filter_counts(client, stranger):
    client.force_login(stranger)
    response = client.get(QUEUE + "filters/?queue=pending")
    assert response.status_code == 302 and "/login/" in response["Location"]
