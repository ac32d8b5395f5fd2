import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, Section

QUEUE = "/admin/moderation/comment/"


def test_it_opens_on_the_pending_queue(client, moderator):
    client.force_login(moderator)
    response = client.get(QUEUE)
    assert response.status_code == 302 and response["Location"].endswith("?queue=pending")


def test_it_lists_the_queue_in_priority_order(client, moderator, make_comment):
    now = timezone.now()
    sure = make_comment("sure", uncertainty=0.1, created_at=now - timedelta(hours=3))
    unsure_new = make_comment("unsure new", uncertainty=0.9, created_at=now)
    unsure_old = make_comment("unsure old", uncertainty=0.9, created_at=now - timedelta(hours=1))
    make_comment("published", status="approved")
    client.force_login(moderator)
    response = client.get(QUEUE + "?queue=pending")
    shown = list(response.context["cl"].result_list)
    assert shown == [unsure_old, unsure_new, sure]


def test_it_shows_scores_reports_and_age_and_leaves_versions_to_the_comment_page(
    client, moderator, scored_comment
):
    comment = scored_comment(reports_count=2)
    client.force_login(moderator)
    html = client.get(QUEUE + "?queue=pending").content.decode()
    assert 'class="desk-bar desk-bar-spam desk-bar-mid"' in html
    assert "width:72%" in html
    assert ("a1" * 4) not in html  # the spam model's version is on the comment's page
    assert f'data-id="{comment.pk}"' in html and f'name="seen-{comment.pk}"' in html
    page = client.get(f"{QUEUE}{comment.pk}/change/").content.decode()
    assert ("a1" * 4) in page


def test_its_filters_show_counts(client, moderator, make_comment):
    make_comment(status="pending", spam_score=0.6)
    make_comment(status="pending", spam_score=0.2)
    make_comment(status="spam", spam_score=0.95)
    make_comment(status="approved", reports_count=1, is_spoiler=True)
    client.force_login(moderator)
    html = client.get(QUEUE + "?queue=all").content.decode()
    for text in ("Pending (2)", "Auto-spam (1)", "Spoiler-flagged (1)", "Reported (1)"):
        assert text in html
    assert "0.5 to 0.9 (1)" in html and "0.9 and above (1)" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("queue=auto_spam", {"spam"}),
        ("queue=reported", {"reported"}),
        ("queue=all&spam_band=held", {"held"}),
        ("queue=all&article__section__id__exact={sport}", {"sport"}),
        ("queue=all&q=oksana%40example.org", {"held"}),
        ("queue=all&q=Petro", {"spam"}),
        ("queue=all&q=wonderful", {"reported"}),
    ],
)
def test_it_filters_and_searches(client, moderator, make_comment, query, expected):
    sport = Article.objects.create(
        slug="derby", title="Derby", body="x", section=Section.objects.named("Sport"), author="A"
    )
    make_comment("held", spam_score=0.6, author_email="oksana@example.org")
    make_comment("spam", status="spam", spam_score=0.95, author_name="Petro")
    make_comment("reported: wonderful", status="approved", reports_count=3)
    make_comment("sport", status="approved", article=sport)
    client.force_login(moderator)
    response = client.get(QUEUE + "?" + query.format(sport=sport.section_id))
    assert {c.body.split(":")[0] for c in response.context["cl"].result_list} == expected


def test_it_renders_in_a_bounded_number_of_queries(client, moderator, scored_comment):
    client.force_login(moderator)
    scored_comment()
    client.get(QUEUE + "?queue=all")  # warm the session and content types
    with CaptureQueriesContext(connection) as few:
        assert client.get(QUEUE + "?queue=all").status_code == 200
    for i in range(30):
        scored_comment(f"comment {i}", author_email=f"r{i}@example.org")
    with CaptureQueriesContext(connection) as many:
        assert client.get(QUEUE + "?queue=all").status_code == 200
    assert len(many) == len(few)
    # The section filter lists the sections and counts them, and the moderator's sections
    # are looked up (three queries, however many rows); each filter counts in one query.
    assert len(many) <= 21


def test_a_stranger_cannot_see_the_queue(client, stranger):
    client.force_login(stranger)
    assert "/admin/login/" in client.get(QUEUE + "?queue=pending")["Location"]


def test_the_page_carries_the_reject_reasons_for_the_keyboard(client, moderator, make_comment):
    make_comment()
    client.force_login(moderator)
    html = client.get(QUEUE + "?queue=pending").content.decode()
    codes = re.findall(r'<li data-reason="([^"]+)">', html)
    assert codes == ["abuse", "off_topic", "personal_data", "legal", "duplicate", "other"]


def test_the_desk_script_spells_no_reject_reason():
    script = Path(finders.find("moderation/desk.js")).read_text()
    for code in ["abuse", "off_topic", "personal_data", "legal", "duplicate", "other"]:
        assert f'"{code}"' not in script and f"'{code}'" not in script
