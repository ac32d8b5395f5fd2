"""Banning, suspending and lifting: clear errors and nothing written for bad input."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from moderation.models import CommenterSanction
from moderation.sanctions import (
    SanctionConflict,
    commenter_ban,
    commenter_sanction_lift,
    commenter_suspend,
)

READER = "reader@example.org"


@pytest.fixture
def known(make_comment):
    make_comment("An earlier comment.", author_email=READER)
    make_comment("From a farm.", author_email="bot7@mail.farm.example")


def _refused(call, **fields) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as refused:
        call(**fields)
    assert CommenterSanction.objects.count() == 0
    return refused.value.message_dict


def test_a_ban_is_kept_with_who_imposed_it_and_why(known, moderator):
    ban = commenter_ban(actor=moderator, email=" Reader@Example.org ", reason="  touting  ")
    stored = CommenterSanction.objects.get()
    assert stored == ban
    assert (stored.kind, stored.match_email, stored.reason) == ("ban", READER, "touting")
    assert stored.created_by == moderator and stored.until is None and stored.state == "active"


def test_a_domain_ban_names_the_domain_as_given_or_with_an_at(known, moderator):
    ban = commenter_ban(actor=moderator, domain="@FARM.example.", reason="a comment farm")
    assert (ban.match_email, ban.match_domain) == ("", "farm.example")


def test_a_ban_on_an_address_that_never_commented_is_refused(known, moderator):
    errors = _refused(commenter_ban, actor=moderator, email="nobody@example.org", reason="x")
    assert errors == {
        "email": [
            "No comment was ever posted from nobody@example.org: there is nobody to sanction."
        ]
    }


def test_a_ban_on_a_domain_nobody_commented_from_is_refused(known, moderator):
    errors = _refused(commenter_ban, actor=moderator, domain="quiet.example", reason="x")
    assert list(errors) == ["domain"] and "nobody to sanction" in errors["domain"][0]


@pytest.mark.parametrize(
    "domain", ["spam", "spam..example", "-spam.example", "sp am.example", "a@b.c"]
)
def test_a_malformed_domain_is_refused(known, moderator, domain):
    errors = _refused(commenter_ban, actor=moderator, domain=domain, reason="spam")
    assert list(errors) == ["domain"] and "is not a domain name" in errors["domain"][0]


def test_a_webmail_domain_shared_by_many_readers_is_refused(make_comment, moderator):
    make_comment("Hello.", author_email="someone@gmail.com")
    errors = _refused(commenter_ban, actor=moderator, domain="GMAIL.com", reason="spam")
    assert errors == {
        "domain": ["gmail.com is shared by a great many readers; ban the address instead."]
    }


def test_a_malformed_email_is_refused(known, moderator):
    errors = _refused(commenter_ban, actor=moderator, email="reader@", reason="spam")
    assert errors == {"email": ["“reader@” is not an email address."]}


@pytest.mark.parametrize("target", [{}, {"email": READER, "domain": "farm.example"}])
def test_one_target_exactly(known, moderator, target):
    errors = _refused(commenter_ban, actor=moderator, reason="spam", **target)
    assert errors == {"email": ["Give one email address or one domain."]}


@pytest.mark.parametrize("reason", ["", "   ", "\u200b"])
def test_an_empty_reason_is_refused(known, moderator, reason):
    errors = _refused(commenter_ban, actor=moderator, email=READER, reason=reason)
    assert errors == {"reason": ["Say why: the reason is kept with the sanction."]}


def test_a_suspension_in_the_past_is_refused(known, moderator):
    errors = _refused(
        commenter_suspend,
        actor=moderator,
        email=READER,
        reason="cooling off",
        until=timezone.now() - timedelta(minutes=1),
    )
    assert errors == {"until": ["A suspension ends in the future: pick a later time."]}


def test_a_second_sanction_on_the_same_commenter_is_refused(known, moderator):
    first = commenter_ban(actor=moderator, email=READER, reason="touting")
    with pytest.raises(ValidationError) as refused:
        commenter_suspend(
            actor=moderator, email=READER, reason="again", until=timezone.now() + timedelta(days=1)
        )
    assert refused.value.message_dict == {
        "email": [f"{READER} is already under a ban (#{first.pk})."]
    }
    assert CommenterSanction.objects.count() == 1


def test_lifting_keeps_who_lifted_it_when_and_why_and_happens_once(known, moderator, editor):
    ban = commenter_ban(actor=moderator, email=READER, reason="touting")
    lifted = commenter_sanction_lift(sanction_id=ban.pk, actor=editor, reason="appeal upheld")
    assert lifted.lifted_by == editor and lifted.lift_reason == "appeal upheld"
    assert lifted.state == "lifted" and lifted.reason == "touting"
    with pytest.raises(SanctionConflict) as again:
        commenter_sanction_lift(sanction_id=ban.pk, actor=moderator, reason="twice")
    assert again.value.sanction.lifted_by == editor
    assert CommenterSanction.objects.get().lift_reason == "appeal upheld"


def test_a_lifted_commenter_can_be_banned_again(known, moderator):
    ban = commenter_ban(actor=moderator, email=READER, reason="touting")
    commenter_sanction_lift(sanction_id=ban.pk, actor=moderator)
    commenter_ban(actor=moderator, email=READER, reason="touting again")
    assert CommenterSanction.objects.count() == 2


def test_a_sanction_is_never_deleted(known, moderator):
    ban = commenter_ban(actor=moderator, email=READER, reason="touting")
    with pytest.raises(ValueError):
        ban.delete()
    assert CommenterSanction.objects.count() == 1
