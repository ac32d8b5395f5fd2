"""The desk API's caller (token, user, roles, sections) comes from the cache, and a change
that could refuse the caller takes effect on the next request."""

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from rest_framework.authtoken.models import Token

from articles.models import Section
from moderation.models import Comment, ModerationEvent
from moderation.roles import MODERATORS
from newsroom.api import callers

pytestmark = pytest.mark.django_db
QUEUE = "/api/v1/moderation/queue/"


def queue_ids(client) -> list[int]:
    response = client.get(QUEUE)
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


@pytest.fixture
def cached_moderator_client(moderator_client):
    """A moderator's client whose caller is in the cache already."""
    assert moderator_client.get(QUEUE).status_code == 200
    return moderator_client


def test_it_reads_the_caller_from_the_cache_after_the_first_request(
    moderator_client, make_comment, django_assert_num_queries
):
    make_comment(status="pending")  # no email: no standing to read
    # Token, groups, sections; then the page and its reports.
    with django_assert_num_queries(5):
        assert moderator_client.get(QUEUE).status_code == 200
    with django_assert_num_queries(2):
        assert moderator_client.get(QUEUE).status_code == 200


def test_it_refuses_a_moderator_removed_from_the_group_at_once(cached_moderator_client, moderator):
    moderator.groups.remove(Group.objects.get(name=MODERATORS))
    assert cached_moderator_client.get(QUEUE).status_code == 403


def test_it_refuses_the_members_of_a_group_cleared_from_its_side(
    cached_moderator_client, moderator
):
    Group.objects.get(name=MODERATORS).user_set.clear()
    assert cached_moderator_client.get(QUEUE).status_code == 403


def test_it_refuses_a_moderator_removed_from_the_groups_side(cached_moderator_client, moderator):
    Group.objects.get(name=MODERATORS).user_set.remove(moderator)
    assert cached_moderator_client.get(QUEUE).status_code == 403


def test_it_refuses_a_deactivated_moderator_at_once(cached_moderator_client, moderator):
    moderator.is_active = False
    moderator.save()
    response = cached_moderator_client.get(QUEUE)
    assert response.status_code == 401
    assert response.json()["detail"] == "User inactive or deleted."


def test_it_refuses_a_deleted_token_at_once(cached_moderator_client, moderator):
    Token.objects.filter(user=moderator).delete()
    response = cached_moderator_client.get(QUEUE)
    assert response.status_code == 401
    assert response.json()["detail"] == "Invalid token."


def test_it_refuses_the_token_of_a_deleted_user_at_once(cached_moderator_client, moderator):
    moderator.delete()
    assert cached_moderator_client.get(QUEUE).status_code == 401


def test_it_grants_a_new_member_of_the_group_at_once(reader_client, stranger):
    assert reader_client.get(QUEUE).status_code == 403
    Group.objects.get_or_create(name=MODERATORS)[0].user_set.add(stranger)
    assert reader_client.get(QUEUE).status_code == 200


def test_a_section_naming_its_first_moderator_closes_to_the_others_at_once(
    cached_moderator_client, make_comment, editor
):
    comment = make_comment(status="pending")
    assert queue_ids(cached_moderator_client) == [comment.pk]
    # Kyiv names a moderator (the editor, who acts everywhere anyway): no longer open.
    Section.objects.get(slug="kyiv").moderators.add(editor)
    assert queue_ids(cached_moderator_client) == []


def test_a_moderator_named_in_a_section_sees_it_at_once(
    cached_moderator_client, make_comment, moderator, editor
):
    kyiv = Section.objects.get(slug="kyiv")
    kyiv.moderators.add(editor)
    comment = make_comment(status="pending")
    assert queue_ids(cached_moderator_client) == []
    kyiv.moderators.add(moderator)
    assert queue_ids(cached_moderator_client) == [comment.pk]


def test_a_decision_through_the_cache_names_the_moderator_and_leaves_the_user_whole(
    cached_moderator_client, make_comment, moderator
):
    comment = make_comment(status="pending")
    response = cached_moderator_client.post(
        f"/api/v1/moderation/comments/{comment.pk}/approve/",
        {"expected_status": "pending"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert Comment.objects.get(pk=comment.pk).decided_by == moderator
    assert ModerationEvent.objects.get(comment=comment, action="approved").actor == moderator
    moderator.refresh_from_db()
    assert moderator.check_password("pw-alice")


def test_a_cached_user_saved_keeps_its_password(cached_moderator_client, moderator):
    key = Token.objects.get(user=moderator).key
    user, _token = callers.CachedTokenAuthentication().authenticate_credentials(key)
    assert "password" in user.get_deferred_fields()
    user.first_name = "Alice"
    user.save()
    moderator.refresh_from_db()
    assert moderator.first_name == "Alice" and moderator.check_password("pw-alice")


def test_the_cache_holds_neither_the_token_nor_the_password(cached_moderator_client, moderator):
    key = Token.objects.get(user=moderator).key
    entry = cache.get(callers._key(key))
    assert entry is not None and entry["roles"] == [MODERATORS]
    assert key not in callers._key(key)
    assert moderator.password not in entry["user"]
