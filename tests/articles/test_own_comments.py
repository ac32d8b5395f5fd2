"""On the reader pages: the author edits and deletes their comment, readers recommend
comments and sort by recommendations, editors' picks are shown above the thread."""

import pytest
from django.test import override_settings
from django.utils import timezone

from articles.reader_session import OWN_COMMENTS_COOKIE, own_comments_cookie
from moderation.models import Comment, CommentRevision

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_scoring(monkeypatch):
    monkeypatch.setattr("moderation.services._enqueue_scoring", lambda comment_id: None)


def _own(client, *comments: Comment) -> None:
    client.cookies[OWN_COMMENTS_COOKIE] = own_comments_cookie([c.pk for c in comments])


def _page(client, article, query: str = "") -> str:
    return client.get(f"/articles/{article.slug}/{query}").text


def test_the_author_sees_edit_and_delete_on_their_own_comment_only(client, article, approved):
    mine = approved("Mine.")
    theirs = approved("Theirs.")
    _own(client, mine)
    html = _page(client, article)
    assert f'href="/comments/{mine.pk}/edit/"' in html
    assert f'href="/comments/{mine.pk}/delete/"' in html
    assert (
        f"/comments/{theirs.pk}/edit/" not in html and f"/comments/{theirs.pk}/delete/" not in html
    )


def test_the_shared_cached_page_never_shows_someone_elses_edit_link(client, article, approved):
    mine = approved("Mine.")
    _own(client, mine)
    _page(client, article)
    client.logout()
    client.cookies.clear()
    assert "/edit/" not in _page(client, article)


def test_the_author_edits_and_sees_it_awaiting_moderation_again(client, article, approved):
    mine = approved("The bridge opened on Monday.", minutes_ago=2)
    _own(client, mine)
    answer = client.post(f"/comments/{mine.pk}/edit/", {"body": "It opened on Tuesday."})
    assert answer.status_code == 303
    assert answer["Location"] == f"/articles/{article.slug}/#comment-{mine.pk}"
    html = _page(client, article)
    assert "It opened on Tuesday." in html and "Awaiting moderation" in html
    client.cookies.clear()
    assert "It opened on Tuesday." not in _page(client, article)
    assert list(CommentRevision.objects.values_list("body", flat=True)) == [
        "The bridge opened on Monday."
    ]


def test_readers_see_that_a_comment_was_edited(client, article, approved):
    approved("Changed once.", edited_at=timezone.now())
    assert "edited" in _page(client, article)


def test_someone_else_cannot_edit_or_delete(client, article, approved):
    theirs = approved("Theirs.")
    assert client.get(f"/comments/{theirs.pk}/edit/").status_code == 403
    answer = client.post(f"/comments/{theirs.pk}/edit/", {"body": "Hijacked."})
    assert answer.status_code == 403
    assert client.post(f"/comments/{theirs.pk}/delete/").status_code == 403
    assert Comment.objects.get(pk=theirs.pk).body == "Theirs."


def test_an_edit_after_the_window_gets_403_with_the_reason(client, article, approved, settings):
    settings.COMMENT_EDIT_WINDOW_MINUTES = 10
    mine = approved("Old words.", minutes_ago=11)
    _own(client, mine)
    assert f"/comments/{mine.pk}/edit/" not in _page(client, article)
    answer = client.post(f"/comments/{mine.pk}/edit/", {"body": "New words."})
    assert answer.status_code == 403
    assert "can be edited only in the first 10 minutes" in answer.text
    assert Comment.objects.get(pk=mine.pk).body == "Old words."


def test_an_empty_edit_is_a_400_with_the_error_beside_the_field(client, article, approved):
    mine = approved("Words.", minutes_ago=1)
    _own(client, mine)
    answer = client.post(f"/comments/{mine.pk}/edit/", {"body": "  "})
    assert answer.status_code == 400
    assert "The comment is empty." in answer.text
    assert Comment.objects.get(pk=mine.pk).body == "Words."


def test_the_author_deletes_and_replies_stay_under_the_notice(client, article, approved):
    mine = approved("Regrettable words.", minutes_ago=60)
    approved("A reply that stays.", parent=mine)
    _own(client, mine)
    assert client.post(f"/comments/{mine.pk}/delete/").status_code == 303
    client.cookies.clear()
    html = _page(client, article)
    assert "Regrettable words." not in html
    assert "This comment was deleted by its author." in html
    assert "A reply that stays." in html


def test_a_reader_cannot_reply_to_a_deleted_comment(client, article, approved):
    gone = approved("Gone.")
    Comment.objects.filter(pk=gone.pk).update(body="", deleted_at=timezone.now())
    answer = client.post(
        f"/articles/{article.slug}/comments/",
        {"author_name": "Ira", "body": "Replying.", "parent": gone.pk},
    )
    assert answer.status_code == 400
    assert not Comment.objects.filter(parent=gone).exists()


def test_recommending_twice_counts_once_and_the_count_is_shown(client, article, approved):
    comment = approved("Worth reading.")
    url = f"/comments/{comment.pk}/recommend/"
    first = client.post(url, HTTP_ACCEPT="application/json")
    second = client.post(url, HTTP_ACCEPT="application/json")
    assert first.json() == {"recommend_count": 1, "recommended": True}
    assert second.json() == {"recommend_count": 1, "recommended": True}
    assert client.post(url, {"undo": "1"}, HTTP_ACCEPT="application/json").json() == {
        "recommend_count": 0,
        "recommended": False,
    }


def test_recommending_without_script_is_a_page_and_a_form(client, article, approved):
    comment = approved("Worth reading.")
    url = f"/comments/{comment.pk}/recommend/"
    assert 'method="post"' in client.get(url).text
    assert client.post(url).status_code == 303
    assert Comment.objects.get(pk=comment.pk).recommend_count == 1


def test_recommending_is_rate_limited(client, article, approved, settings):
    settings.REACTION_RATE_LIMIT = "2/minute"
    comments = [approved(f"Comment {n}.") for n in range(3)]
    codes = [
        client.post(f"/comments/{c.pk}/recommend/", HTTP_ACCEPT="application/json").status_code
        for c in comments
    ]
    assert codes == [200, 200, 429]
    assert Comment.objects.get(pk=comments[2].pk).recommend_count == 0


def test_an_unpublished_comment_cannot_be_recommended(client, article, make_comment):
    held = make_comment(status="pending")
    assert client.post(f"/comments/{held.pk}/recommend/").status_code == 404


def test_most_recommended_sorts_the_threads(client, article, approved):
    approved("Few.", minutes_ago=30, recommend_count=1)
    approved("Many.", minutes_ago=20, recommend_count=9)
    approved("None.", minutes_ago=10)
    html = _page(client, article, "?sort=recommended")
    assert html.index("Many.") < html.index("Few.") < html.index("None.")
    assert 'href="?sort=recommended#comments" aria-current="true"' in html


def test_editors_picks_are_shown_above_the_thread_and_marked_in_place(client, article, approved):
    approved("An ordinary comment.", minutes_ago=30)
    pick = approved("A comment worth featuring.", minutes_ago=20, featured_at=timezone.now())
    html = _page(client, article)
    strip = html.index("Editors’ picks")
    assert strip < html.index("An ordinary comment.")
    assert html.index("A comment worth featuring.") > strip
    assert f'href="#comment-{pick.pk}"' in html
    assert 'class="comment comment--pick"' in html


def test_a_pick_shows_at_once_despite_the_cache(client, article, approved, editor):
    from moderation.engagement.services import comment_feature

    comment = approved("Soon a pick.")
    assert "Editors’ picks" not in _page(client, article)
    comment_feature(comment_id=comment.pk, actor=editor, featured=True)
    assert "Editors’ picks" in _page(client, article)


def test_recommendation_counts_may_lag_by_the_cache_time(client, article, approved):
    comment = approved("Cached.", recommend_count=0)
    assert "data-recommend-count>0<" in _page(client, article)
    client.post(f"/comments/{comment.pk}/recommend/")
    # The page is shared and cached: a click does not rebuild it for everyone.
    assert "data-recommend-count>0<" in _page(client, article)
    assert Comment.objects.get(pk=comment.pk).recommend_count == 1


def test_a_forged_own_comments_cookie_names_nothing(client, article, approved):
    theirs = approved("Theirs.")
    # The ids without the signature, and a signature from another key.
    client.cookies[OWN_COMMENTS_COOKIE] = f"[{theirs.pk}]"
    assert f"/comments/{theirs.pk}/edit/" not in _page(client, article)
    with override_settings(SECRET_KEY="another-key-" + "x" * 50):
        forged = own_comments_cookie([theirs.pk])
    client.cookies[OWN_COMMENTS_COOKIE] = forged
    assert f"/comments/{theirs.pk}/edit/" not in _page(client, article)
    assert client.post(f"/comments/{theirs.pk}/delete/").status_code in (403, 404)
    theirs.refresh_from_db()
    assert theirs.deleted_at is None


def test_a_page_that_shows_own_comments_varies_on_the_cookie(client, article, approved):
    # A shared cache in front must never hand one reader's edit links to another.
    _own(client, approved("Mine."))
    assert "cookie" in client.get(f"/articles/{article.slug}/")["Vary"].lower()
