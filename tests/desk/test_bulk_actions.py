"""Bulk decisions from the queue: through the services, conflicts reported, never overwritten."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

from moderation import services
from moderation.models import Comment, ModerationEvent

QUEUE = "/admin/moderation/comment/?queue=pending"


def act(client, action, comments, **extra):
    data = {"action": action, "index": "0", ACTION_CHECKBOX_NAME: [c.pk for c in comments]}
    data.update({f"seen-{c.pk}": c.status for c in comments})
    data.update(extra)
    return client.post(QUEUE, data, follow=True)


def test_it_approves_each_and_writes_their_events(client, moderator, make_comment):
    comments = [make_comment(f"c{i}") for i in range(3)]
    client.force_login(moderator)
    response = act(client, "approve_selected", comments)
    assert "3 comments: approve done." in response.content.decode()
    assert set(Comment.objects.values_list("status", flat=True)) == {"approved"}
    assert ModerationEvent.objects.filter(action="approved", actor=moderator).count() == 3


def test_it_changes_nothing_when_one_comment_was_decided_meanwhile(
    client, moderator, editor, make_comment
):
    first, second = make_comment("first"), make_comment("second")
    client.force_login(moderator)
    # The moderator's page showed both pending; the editor marks one as spam meanwhile.
    services.comment_mark_spam(comment_id=second.pk, actor=editor)
    response = act(client, "approve_selected", [first, second])
    html = response.content.decode()
    assert f"Comment #{second.pk} was changed meanwhile: it is now spam (by bob)" in html
    assert "Nothing was changed" in html
    assert Comment.objects.get(pk=first.pk).status == "pending"
    assert Comment.objects.get(pk=second.pk).status == "spam"
    assert not ModerationEvent.objects.filter(actor=moderator).exists()


def test_reject_asks_for_a_reason_first(client, moderator, make_comment):
    comments = [make_comment("one"), make_comment("two")]
    client.force_login(moderator)
    response = act(client, "reject_selected", comments)
    assert response.templates[0].name == "admin/moderation/comment/reject_reason.html"
    assert "Reject 2 comments" in response.content.decode()
    assert set(Comment.objects.values_list("status", flat=True)) == {"pending"}

    response = act(
        client, "reject_selected", comments, apply="1", reason_code="off_topic", reason_text="Why"
    )
    assert "2 comments: reject done." in response.content.decode()
    events = ModerationEvent.objects.filter(action="rejected")
    assert {(e.reason_code, e.reason_text) for e in events} == {("off_topic", "Why")}


def test_reject_without_a_valid_reason_changes_nothing(client, moderator, make_comment):
    comments = [make_comment("one")]
    client.force_login(moderator)
    response = act(client, "reject_selected", comments, apply="1", reason_code="rude")
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert Comment.objects.get().status == "pending"


def test_it_marks_spam_and_sets_and_clears_spoilers(client, moderator, make_comment):
    spam, spoiler = make_comment("spam"), make_comment("spoiler", status="approved")
    client.force_login(moderator)
    act(client, "spam_selected", [spam])
    assert Comment.objects.get(pk=spam.pk).status == "spam"
    act(client, "set_spoiler_selected", [spoiler])
    assert Comment.objects.get(pk=spoiler.pk).is_spoiler is True
    spoiler.refresh_from_db()
    act(client, "clear_spoiler_selected", [spoiler])
    assert Comment.objects.get(pk=spoiler.pk).is_spoiler is False
    actions = list(ModerationEvent.objects.values_list("action", flat=True))
    assert actions == ["marked_spam", "spoiler_set", "spoiler_cleared"]


def test_there_is_no_bulk_delete(client, editor, make_comment):
    make_comment()
    client.force_login(editor)
    html = client.get(QUEUE).content.decode()
    assert "delete_selected" not in html and "approve_selected" in html


def test_select_all_across_pages_applies_to_the_whole_filtered_queue(
    client, moderator, make_comment
):
    pending = [make_comment(f"p{i}") for i in range(3)]
    published = make_comment("already out", status="approved")
    client.force_login(moderator)
    response = act(client, "spam_selected", pending[:1], select_across="1")
    assert "3 comments: spam done." in response.content.decode()
    assert {Comment.objects.get(pk=c.pk).status for c in pending} == {"spam"}
    assert Comment.objects.get(pk=published.pk).status == "approved"


def test_select_all_over_the_cap_says_so_and_changes_nothing(client, moderator, article):
    Comment.objects.bulk_create(
        Comment(article=article, author_name="Oksana", body=f"c{i}") for i in range(501)
    )
    client.force_login(moderator)
    shown = list(Comment.objects.order_by("pk")[:1])
    response = act(client, "approve_selected", shown, select_across="1")
    assert "One action decides at most 500 comments" in response.content.decode()
    assert set(Comment.objects.values_list("status", flat=True)) == {"pending"}
    assert not ModerationEvent.objects.exists()


@pytest.mark.parametrize("hand_made", ["99999999999999999999", "abc", "1.5"])
def test_a_hand_made_id_is_a_400_and_changes_nothing(client, moderator, make_comment, hand_made):
    comment = make_comment()
    client.force_login(moderator)
    response = client.post(
        QUEUE,
        {
            "action": "approve_selected",
            "index": "0",
            ACTION_CHECKBOX_NAME: [comment.pk, hand_made],
            f"seen-{comment.pk}": "pending",
        },
    )
    assert response.status_code == 400
    assert Comment.objects.get().status == "pending"
    assert not ModerationEvent.objects.exists()


def test_a_selected_row_without_the_status_seen_is_refused(client, moderator, make_comment):
    comment = make_comment()
    client.force_login(moderator)
    response = client.post(
        QUEUE, {"action": "spam_selected", "index": "0", ACTION_CHECKBOX_NAME: [comment.pk]}
    )
    assert response.status_code == 400
    assert Comment.objects.get().status == "pending"


def test_reject_across_the_queue_decides_exactly_the_comments_its_page_listed(
    client, moderator, make_comment
):
    listed = [make_comment("one"), make_comment("two")]
    client.force_login(moderator)
    page = act(client, "reject_selected", listed[:1], select_across="1")
    assert "Reject 2 comments" in page.content.decode()
    late = make_comment("arrived after the page was drawn")

    form = {
        ACTION_CHECKBOX_NAME: [pk for pk, _ in page.context["targets"]],
        **{f"seen-{pk}": seen for pk, seen in page.context["targets"]},
        "select_across": page.context["select_across"],
        "action": "reject_selected",
        "index": "0",
        "apply": "1",
        "reason_code": "off_topic",
    }
    response = client.post(QUEUE, form, follow=True)

    assert "2 comments: reject done." in response.content.decode()
    assert {Comment.objects.get(pk=c.pk).status for c in listed} == {"rejected"}
    assert Comment.objects.get(pk=late.pk).status == "pending"
