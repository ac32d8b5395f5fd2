"""The batch path's writes on PostgreSQL store what Django's own writes store.

Scored fields, SCORED events and cluster members go to PostgreSQL as one JSON
parameter, signatures as arrays (newsroom.lib.pg_batch); the same batch written the
ordinary way (bulk_create, UPDATE ... FROM VALUES) must leave the same rows.
"""

import math
import os
from datetime import timedelta

import pytest
from django.utils import timezone

from moderation import services
from moderation.campaigns.clustering import seen
from moderation.campaigns.detection import _store_signatures
from moderation.models import Comment, CommentSignature, ModerationEvent
from moderation.policy import RuleHit
from moderation.services import SCORED_FIELDS, CommentScores, comment_apply_scores_batch
from newsroom.lib import pg_batch

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
    reason="the array and JSON parameters are PostgreSQL's",
)

VERSIONS = {"spam": "s1", "spoiler": "p1", "abuse": "a1"}
# Floats whose shortest text form is long, tiny or exact; text JSON must escape.
CASES = [
    (0.30000000000000004, 1e-05, 0.0, ()),
    (0.95, 0.1, 0.0, ()),
    (0.6, 0.9, 0.7, (RuleHit("words", "hold", 'word "ёлка" \\ in the list'),)),
    (0.05, 0.123456789012345678, 2.2250738585072014e-308, ()),
]


def _batch(make_comment, tag: str) -> list[CommentScores]:
    scores = []
    for n, (spam, spoiler, abuse, hits) in enumerate(CASES):
        comment = make_comment(f"{tag} comment {n}", author_spoiler_tag=n == 1)
        scores.append(
            CommentScores(
                comment.pk,
                spam,
                spoiler,
                VERSIONS,
                {"spam": [{"feature": "word 'cheap'", "weight": 0.1234}]},
                hits=hits,
                abuse_score=abuse,
                abuse_cue="word 'moron'" if abuse else "",
            )
        )
    return scores


STORED = [f for f in SCORED_FIELDS if f not in ("scored_at", "updated_at")]


def _stored(scored: list[int]) -> list[tuple]:
    return [Comment.objects.values_list(*STORED).get(pk=pk) for pk in scored]


def _events(scored: list[int]) -> list[tuple]:
    return [
        ModerationEvent.objects.values_list(
            "action", "from_status", "to_status", "model_versions", "scores", "reason_text",
            "actor_id", "reason_code", "reports_resolved", "undoes_id",
        ).get(comment_id=pk)
        for pk in scored
    ]  # fmt: skip


def _without_json(monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise pg_batch.NotJson("the ordinary way, for comparison")

    monkeypatch.setattr(pg_batch, "recordset", refuse)
    monkeypatch.setattr(services, "recordset", refuse)


def test_the_json_path_stores_the_scores_and_events_the_ordinary_writes_store(
    make_comment, monkeypatch
):
    fast = comment_apply_scores_batch(scores=_batch(make_comment, "fast"))
    with monkeypatch.context() as patch:
        _without_json(patch)
        ordinary = comment_apply_scores_batch(scores=_batch(make_comment, "ordinary"))
    assert len(fast) == len(ordinary) == len(CASES)
    assert _stored(fast) == _stored(ordinary)
    assert _events(fast) == _events(ordinary)
    # The floats come back bit for bit, and the statuses differ, so the rows say something.
    assert [row[0] for row in _stored(fast)] == [case[0] for case in CASES]
    assert len({row[STORED.index("status")] for row in _stored(fast)}) > 1
    for pk in fast:
        comment = Comment.objects.get(pk=pk)
        assert comment.scored_at == comment.updated_at == comment.events.get().created_at


def test_a_rerun_of_the_json_path_changes_nothing(make_comment):
    batch = _batch(make_comment, "again")
    first = comment_apply_scores_batch(scores=batch)
    before = _stored(first)
    changed = [
        CommentScores(s.comment_id, 0.99, 0.99, VERSIONS, {}, abuse_score=0.99) for s in batch
    ]
    assert comment_apply_scores_batch(scores=changed) == []
    assert _stored(first) == before
    assert ModerationEvent.objects.filter(comment_id__in=first).count() == len(first)


def test_a_value_json_cannot_carry_is_refused_for_the_ordinary_write(make_comment):
    comment = make_comment()
    comment.spam_score = math.nan
    fields = [Comment._meta.get_field("spam_score")]
    with pytest.raises(pg_batch.NotJson):
        pg_batch.recordset([comment], fields)


def test_the_signatures_from_arrays_are_the_rows_bulk_create_writes(make_comment):
    created = timezone.now() - timedelta(minutes=3, microseconds=123457)
    comments = [
        make_comment(
            f"Vote for the new metro line today, number {n}, tell your friends about it",
            author_email=f"r{n}@mail.example",
            created_at=created,
        )
        for n in range(3)
    ]
    batch = [
        seen(c.pk, c.created_at, c.body, c.author_email, c.author_name, c.ip_address)
        for c in comments
    ]
    _store_signatures(batch)
    _store_signatures(batch)  # a rerun adds nothing
    rows = set(
        CommentSignature.objects.values_list(
            "comment_id", "band", "hash", "created_at", "dismissed"
        )
    )
    expected = {
        (item.comment_id, band, value, created, False)
        for item in batch
        for band, value in enumerate(item.signature.bands)
    }
    assert expected and rows == expected
