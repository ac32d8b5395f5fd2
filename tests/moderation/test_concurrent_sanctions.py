"""Two moderators ban, or lift, the same commenter at the same moment: one wins, one is told.

Needs PostgreSQL (locks between connections); runs where DATABASE_URL points at it.
"""

import os

import pytest
from django.core.exceptions import ValidationError

from moderation.models import CommenterSanction
from moderation.sanctions import SanctionConflict, commenter_ban, commenter_sanction_lift
from tests.moderation.racing import race

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
        reason="locks between connections need PostgreSQL",
    ),
    pytest.mark.django_db(transaction=True),
]

READER = "reader@example.org"


def test_two_moderators_banning_at_once_make_one_ban(make_comment, moderator, editor):
    make_comment("An earlier comment.", author_email=READER)
    outcomes = race(
        lambda: commenter_ban(actor=moderator, email=READER, reason="touting"),
        lambda: commenter_ban(actor=editor, email=READER, reason="abuse"),
        (ValidationError,),
    )
    ban = CommenterSanction.objects.get()
    assert outcomes["first"] == "done"
    assert outcomes["second"].startswith("refused: ")
    assert f"{READER} is already under a ban (#{ban.pk})." in outcomes["second"]
    assert (ban.created_by, ban.reason) == (moderator, "touting")


def test_two_moderators_lifting_at_once_lift_it_once(make_comment, moderator, editor):
    make_comment("An earlier comment.", author_email=READER)
    ban = commenter_ban(actor=moderator, email=READER, reason="touting")
    outcomes = race(
        lambda: commenter_sanction_lift(sanction_id=ban.pk, actor=moderator, reason="appeal"),
        lambda: commenter_sanction_lift(sanction_id=ban.pk, actor=editor, reason="mistake"),
        (SanctionConflict,),
    )
    ban.refresh_from_db()
    assert outcomes == {"first": "done", "second": f"refused: Sanction {ban.pk} is already lifted."}
    assert (ban.lifted_by, ban.lift_reason) == (moderator, "appeal")
