"""Unicode direction controls in what readers write cannot flip the text around it.

An embedding, override or isolate left open (U+202A–U+202E, U+2066–U+2069) reverses
everything after it on its line. New text loses them on the way in; what is already
stored is shown isolated (<bdi>, dir="auto"), so it can only turn itself around.
"""

import pytest
from django.test import Client

from articles.services import correction_request_submit
from moderation.models import Comment
from moderation.services import comment_report

OVERRIDES = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
QUEUE = "/admin/moderation/comment/"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    from django.core.cache import cache

    cache.clear()


def test_a_comment_posted_on_the_page_loses_its_direction_controls(client, article):
    response = client.post(
        f"/articles/{article.slug}/comments/",
        {"author_name": "Ann\u202e (editor)", "body": f"Fine {OVERRIDES}work\u200f."},
    )
    assert response.status_code == 303
    comment = Comment.objects.get()
    assert comment.author_name == "Ann (editor)"
    assert comment.body == "Fine work\u200f.", "the marks (U+200E/U+200F) cannot flip text: kept"


def test_a_comment_posted_to_the_api_loses_its_direction_controls(article):
    from rest_framework.test import APIClient

    response = APIClient().post(
        f"/api/v1/articles/{article.slug}/comments/",
        {"author_name": "\u2067Ann", "body": "Agreed\u202d entirely"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["author_name"] == "Ann"
    assert Comment.objects.get().body == "Agreed entirely"


def test_reports_and_correction_requests_lose_them_too(article, make_comment):
    report = comment_report(
        comment=make_comment(status="approved"), reason="other", text="rude\u202e!"
    )
    request = correction_request_submit(article=article, suggestion="\u202bEight months, not six")
    assert report.text == "rude!"
    assert request.suggestion == "Eight months, not six"


def test_the_article_page_isolates_names_and_bodies_already_stored(article, make_comment):
    make_comment("evil\u202e text", author_name="Ann\u202e", status="approved")
    html = Client().get(f"/articles/{article.slug}/").text
    assert "<bdi>Ann\u202e</bdi>" in html
    assert '<div class="comment__body" dir="auto"><p>evil\u202e text</p></div>' in html
    # Everywhere the name appears (the reply and report links' labels too), isolated.
    assert html.count("Ann\u202e") == html.count("<bdi>Ann\u202e</bdi>") + html.count(
        'data-reply-author="Ann\u202e"'
    )


def test_the_desk_isolates_names_and_bodies_already_stored(client, moderator, make_comment):
    comment = make_comment("evil\u202e text", author_name="Ann\u202e", status="pending")
    client.force_login(moderator)
    queue = client.get(QUEUE + "?queue=pending").content.decode()
    assert "<bdi>Ann\u202e</bdi>" in queue and "<bdi>evil\u202e text</bdi>" in queue
    page = client.get(f"{QUEUE}{comment.pk}/change/").content.decode()
    assert "<h2><bdi>Ann\u202e</bdi> on " in page
    assert '<blockquote class="desk-body" id="desk-body" dir="auto">evil\u202e text' in page
