"""A moderator bans one author of a campaign while another bans all its authors.

Needs PostgreSQL (locks between connections); runs where DATABASE_URL points at it.
"""

import os
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from moderation.campaigns.detection import campaign_rule
from moderation.campaigns.services import CampaignConflict, cluster_ban_authors
from moderation.models import Comment, CommentCluster, CommenterSanction
from moderation.sanctions import commenter_ban
from tests.moderation.racing import race
from tests.pipeline.test_campaigns import PARAPHRASES

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
        reason="locks between connections need PostgreSQL",
    ),
    pytest.mark.django_db(transaction=True),
]


def test_an_author_banned_meanwhile_is_counted_and_the_others_are_banned(
    make_comment, moderator, editor
):
    start = timezone.now() - timedelta(minutes=20)
    for n, text in enumerate(PARAPHRASES):
        comment = make_comment(
            text,
            author_name=f"Reader {n}",
            author_email=f"reader{n}@mail.example",
            created_at=start + timedelta(minutes=n),
        )
        campaign_rule([comment])
    cluster = CommentCluster.objects.get()
    shown = list(Comment.objects.values_list("pk", flat=True))
    # The single ban holds its row's lock until "ban all authors" waits on it.
    outcomes = race(
        lambda: commenter_ban(actor=moderator, email="reader3@mail.example", reason="touting"),
        lambda: cluster_ban_authors(
            cluster_id=cluster.pk, actor=editor, reason="Bridge campaign", seen_ids=shown
        ),
        (ValidationError, CampaignConflict),
    )
    assert outcomes == {"first": "done", "second": "done"}
    bans = dict(CommenterSanction.objects.values_list("match_email", "created_by__username"))
    assert bans == {
        **{f"reader{n}@mail.example": "bob" for n in (0, 1, 2, 4, 5)},
        "reader3@mail.example": "alice",
    }
    assert CommentCluster.objects.get().state == "confirmed"
