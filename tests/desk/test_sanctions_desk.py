"""The commenter on a comment's page: standing, ban and suspend; the list of sanctions, Lift."""

from datetime import timedelta

import pytest
from django.utils import timezone

from moderation.models import CommenterSanction
from moderation.sanctions import commenter_ban

READER = "reader@farm.example"
SANCTIONS = "/admin/moderation/commentersanction/"


def page(comment) -> str:
    return f"/admin/moderation/comment/{comment.pk}/change/"


def impose(comment) -> str:
    return f"{SANCTIONS}from-comment/{comment.pk}/"


@pytest.fixture
def comment(make_comment):
    return make_comment("Tickets half price, ask me.", author_email=READER)


@pytest.fixture
def desk(client, moderator):
    client.force_login(moderator)
    return client


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_the_page_shows_the_commenters_standing(desk, make_comment, commenter_history):
    commenter_history(READER, *["approved"] * 34)
    html = desk.get(page(make_comment("A view.", author_email=READER))).content.decode()
    assert '<strong class="desk-standing desk-standing-trusted" id="desk-standing">' in html
    assert "trusted: 34 approved" in html


def test_the_page_shows_a_premoderated_and_a_new_commenter(desk, make_comment, commenter_history):
    commenter_history(READER, "rejected", "rejected", "rejected")
    held = desk.get(page(make_comment("A view.", author_email=READER))).content.decode()
    new = desk.get(page(make_comment("Hi.", author_email="new@example.org"))).content.decode()
    assert "premoderated: last 3 rejected" in held
    assert "new commenter" in new


def test_a_moderator_bans_the_commenter_from_the_page(desk, comment, moderator):
    response = desk.post(
        impose(comment), {"target": "email", "kind": "ban", "reason": "touting"}, follow=True
    )
    sanction = CommenterSanction.objects.get()
    assert (sanction.kind, sanction.match_email, sanction.reason) == ("ban", READER, "touting")
    assert sanction.created_by == moderator
    assert response.redirect_chain[-1][0] == page(comment)
    html = response.content.decode()
    assert "Banned" in html and "touting" in html


def test_a_moderator_suspends_the_domain_until_a_date(desk, comment):
    until = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    desk.post(
        impose(comment),
        {"target": "domain", "kind": "suspension", "until": until, "reason": "a farm"},
    )
    sanction = CommenterSanction.objects.get()
    assert (sanction.kind, sanction.match_domain) == ("suspension", "farm.example")
    assert sanction.until > timezone.now() + timedelta(days=2)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "ban", "reason": ""}, "Say why: the reason is kept with the sanction."),
        (
            {"kind": "suspension", "reason": "x", "until": "2020-01-01T10:00"},
            "A suspension ends in the future: pick a later time.",
        ),
        ({"kind": "suspension", "reason": "x", "until": "soon"}, "until: Enter a valid date/time."),
    ],
)
def test_bad_input_is_a_message_and_nothing_is_written(desk, comment, data, message):
    response = desk.post(impose(comment), {"target": "email", **data}, follow=True)
    assert any(m.startswith(message) for m in _messages(response))
    assert CommenterSanction.objects.count() == 0


def test_a_comment_without_an_email_offers_no_ban(desk, make_comment):
    anonymous = make_comment("No email.", author_email="")
    assert 'id="desk-sanction-form"' not in desk.get(page(anonymous)).content.decode()
    response = desk.post(impose(anonymous), {"target": "email", "kind": "ban", "reason": "x"})
    assert response.status_code == 302
    assert CommenterSanction.objects.count() == 0


def test_someone_who_may_not_decide_may_not_sanction(client, stranger, comment):
    stranger.is_staff = True
    stranger.save()
    client.force_login(stranger)
    response = client.post(impose(comment), {"target": "email", "kind": "ban", "reason": "x"})
    assert response.status_code == 403
    assert client.get(SANCTIONS).status_code == 403
    assert CommenterSanction.objects.count() == 0


def test_the_list_shows_sanctions_in_force_with_lift(desk, comment, editor):
    ban = commenter_ban(actor=editor, email=READER, reason="touting")
    html = desk.get(SANCTIONS).content.decode()
    assert READER in html and "touting" in html and "bob" in html
    assert f'formaction="{SANCTIONS}{ban.pk}/lift/"' in html


def test_lift_from_the_list_keeps_the_record(desk, comment, editor, moderator):
    ban = commenter_ban(actor=editor, email=READER, reason="touting")
    response = desk.post(
        f"{SANCTIONS}{ban.pk}/lift/", {f"reason-{ban.pk}": "appeal upheld"}, follow=True
    )
    ban.refresh_from_db()
    assert (ban.lifted_by, ban.lift_reason) == (moderator, "appeal upheld")
    assert f"Ban of {READER} lifted." in _messages(response)
    assert f'formaction="{SANCTIONS}{ban.pk}/lift/"' not in response.content.decode()
    lifted = desk.get(SANCTIONS, {"state": "lifted"}).content.decode()
    assert "lifted by alice" in lifted and "appeal upheld" in lifted


def test_lifting_twice_says_who_lifted_it_first(desk, comment, editor):
    ban = commenter_ban(actor=editor, email=READER, reason="touting")
    desk.post(f"{SANCTIONS}{ban.pk}/lift/", {})
    again = desk.post(f"{SANCTIONS}{ban.pk}/lift/", {}, follow=True)
    assert any("already lifted by alice" in m for m in _messages(again))


@pytest.mark.parametrize("bad", ["0", "x1", "99999999999999999999", "²"])
def test_a_lift_of_no_such_sanction_changes_nothing(desk, bad):
    response = desk.post(f"{SANCTIONS}{bad}/lift/", {}, follow=True)
    assert "No such sanction." in _messages(response)
