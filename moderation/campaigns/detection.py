"""The campaign rule: store each scored comment's signature and place it in a cluster.

Asked by scoring once per batch (moderation.rules). For the whole batch: one query for
what scoring does not load (time, IP address, an existing membership), one indexed
query for the candidates and their comments, then the writes (signatures, members and
the clusters touched) in one transaction. A comment joining a cluster over the
threshold (CAMPAIGN_MIN_SIZE comments from CAMPAIGN_MIN_AUTHORS authors) and not
dismissed is held for the desk; the cluster's earlier members keep their status and
are listed with it.
"""

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import Q

from moderation.campaigns import RULE, window
from moderation.campaigns.clustering import Group, Seen, assign, seen
from moderation.campaigns.signature import author_key, ip_prefix
from moderation.models import Comment, CommentCluster, CommentClusterMember, CommentSignature
from moderation.policy import RuleHit
from moderation.services import relax_commit
from newsroom.lib.pg_batch import any_of_ids, insert_rows, int_array, timestamp_array

State = CommentCluster.State


# A band hash shared by a running campaign's thousands of copies would bring them all
# back for every new one (each compared, its signature computed again): the cost of a
# comment would grow with the campaign. The most recent copies sharing a band stand for
# the rest: a new copy matches them and joins their cluster, at a bounded cost.
CANDIDATES_PER_BAND = 20

# Per band hash of the batch: its most recent signatures in the window, and those of
# dismissed clusters before it (older ones are pruned, so only dismissed ones are left).
_RECENT_PER_BAND = """
SELECT DISTINCT recent.comment_id, recent.dismissed
FROM unnest(%(hashes)s::bigint[]) AS band(hash)
CROSS JOIN LATERAL (
    (SELECT s.comment_id, s.dismissed FROM moderation_commentsignature s
     WHERE s.hash = band.hash AND s.created_at >= %(oldest)s
     ORDER BY s.created_at DESC LIMIT %(per_band)s)
    UNION ALL
    (SELECT s.comment_id, s.dismissed FROM moderation_commentsignature s
     WHERE s.hash = band.hash AND s.created_at < %(oldest)s AND s.dismissed
     ORDER BY s.created_at DESC LIMIT %(per_band)s)
) AS recent
"""


def _candidate_rows(hashes: set[int], oldest: datetime) -> list[tuple[int, bool]]:
    """(comment id, dismissed) of the stored signatures sharing a band with the batch."""
    if connection.vendor == "postgresql":
        params: dict[str, Any] = {
            "hashes": int_array(hashes),
            "oldest": oldest,
            "per_band": CANDIDATES_PER_BAND,
        }
        with connection.cursor() as cursor:
            cursor.execute(_RECENT_PER_BAND, params)
            return cursor.fetchall()
    # The embedded default's SQLite: small sites, every candidate.
    return list(
        CommentSignature.objects.filter(hash__in=hashes)
        .filter(Q(created_at__gte=oldest) | Q(dismissed=True))
        .values_list("comment_id", "dismissed")
    )


def _candidate_ids(hashes: set[int], oldest: datetime) -> dict[int, bool]:
    """{comment id: dismissed} of the stored comments sharing a band with the batch."""
    found: dict[int, bool] = {}
    for comment_id, dismissed in _candidate_rows(hashes, oldest):
        found[comment_id] = found.get(comment_id, False) or dismissed
    return found


def _candidates(batch: list[Seen], oldest: datetime) -> dict[int, Seen]:
    """The stored comments sharing a band with any of the batch (two queries)."""
    hashes = {value for item in batch for value in item.signature.bands}
    if not hashes:
        return {}
    ids = _candidate_ids(hashes, oldest)
    for item in batch:
        ids.pop(item.comment_id, None)
    if not ids:
        return {}
    rows = Comment.objects.filter(pk__in=any_of_ids(ids)).values_list(
        "pk",
        "created_at",
        "body",
        "author_email",
        "author_name",
        "ip_address",
        "cluster_membership__cluster_id",
    )
    found: dict[int, Seen] = {}
    for comment_id, created_at, body, email, name, ip, cluster_id in rows:
        found[comment_id] = seen(comment_id, created_at, body, email, name, ip)
        found[comment_id].cluster_id = cluster_id
        found[comment_id].dismissed = ids[comment_id]
    return found


def campaign_rule(comments: Sequence[Comment]) -> Mapping[int, list[RuleHit]]:
    """Place each comment of the batch in its cluster; hold those joining a campaign."""
    extra = {
        pk: (created_at, ip, cluster_id)
        for pk, created_at, ip, cluster_id in Comment.objects.filter(
            pk__in=[c.pk for c in comments]
        ).values_list("pk", "created_at", "ip_address", "cluster_membership__cluster_id")
    }
    batch: list[Seen] = []
    already: dict[int, int] = {}
    for comment in comments:
        if comment.pk not in extra:
            continue
        created_at, ip, cluster_id = extra[comment.pk]
        if cluster_id is not None:
            # Scored before (a redelivered task): its place stands.
            already[comment.pk] = cluster_id
            continue
        item = seen(
            comment.pk, created_at, comment.body, comment.author_email, comment.author_name, ip
        )
        if item.signature.comparable:
            batch.append(item)
    hits: dict[int, list[RuleHit]] = {}
    if batch:
        with transaction.atomic():
            # Derived data, committed just before the scores: like them, not worth a
            # WAL flush (a crash loses both, and the sweep scores the comment again).
            relax_commit()
            hits = _assign(batch)
    if already:
        for cluster in CommentCluster.objects.filter(pk__in=set(already.values())):
            if cluster.is_campaign:
                for comment_id, cluster_id in already.items():
                    if cluster_id == cluster.pk:
                        hits[comment_id] = [RuleHit(RULE, "hold", cluster.reason)]
    return hits


def _assign(batch: list[Seen]) -> dict[int, list[RuleHit]]:
    span = window()
    known = _candidates(batch, min(item.created_at for item in batch) - span)
    groups = assign(batch, known, span)
    _store_signatures(batch)
    return _write_clusters(groups, {item.comment_id for item in batch})


def _store_signatures(batch: list[Seen]) -> None:
    """One row per band of each comment; a rerun's rows are there already and stay.

    PostgreSQL gets the rows as four arrays in one INSERT ... SELECT unnest: bulk_create
    would build a model instance and prepare five values for each of the ~20 rows a
    comment has, which cost the scoring worker more than the three models together.
    """
    rows = [
        (item.comment_id, band, value, item.created_at)
        for item in batch
        for band, value in enumerate(item.signature.bands)
    ]
    if connection.vendor != "postgresql":
        CommentSignature.objects.bulk_create(
            [
                CommentSignature(comment_id=pk, band=band, hash=value, created_at=created_at)
                for pk, band, value, created_at in rows
            ],
            ignore_conflicts=True,
        )
        return
    ids, bands, hashes, times = zip(*rows, strict=True)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {CommentSignature._meta.db_table} "  # noqa: S608 - the model's name
            "(comment_id, band, hash, created_at, dismissed) "
            "SELECT c, b, h, t, false FROM unnest("
            "%s::bigint[], %s::smallint[], %s::bigint[], %s::timestamptz[]) AS r(c, b, h, t) "
            "ON CONFLICT DO NOTHING",
            [int_array(ids), int_array(bands), int_array(hashes), timestamp_array(times)],
        )


def _write_clusters(groups: list[Group], scoring: set[int]) -> dict[int, list[RuleHit]]:
    """Create and update the clusters touched, add their members; the hits of the held."""
    existing = [g.cluster_id for g in groups if g.cluster_id is not None]
    rows = {c.pk: c for c in CommentCluster.objects.select_for_update().filter(pk__in=existing)}
    authors: dict[int, set[str]] = defaultdict(set)
    for cluster_id, email, name, ip in Comment.objects.filter(
        cluster_membership__cluster_id__in=existing
    ).values_list("cluster_membership__cluster_id", "author_email", "author_name", "ip_address"):
        authors[cluster_id].add(author_key(email, name, ip_prefix(ip)))
    touched: list[CommentCluster] = []
    for group in groups:
        times = [item.created_at for item in group.joined]
        if group.cluster_id is None:
            row = CommentCluster(first_seen=min(times), last_seen=max(times))
        else:
            row = rows[group.cluster_id]
        keys = authors[group.cluster_id or 0] | {item.author for item in group.joined}
        row.authors = len(keys)
        row.size += len(group.joined)
        row.first_seen = min(row.first_seen, *times)
        row.last_seen = max(row.last_seen, *times)
        touched.append(row)
    # New clusters in one INSERT (most groups of a batch are new pairs); the few
    # existing ones, locked above, saved as before.
    CommentCluster.objects.bulk_create([row for row in touched if row.pk is None])
    for row in touched:
        if row.pk in rows:
            row.save()
    hits: dict[int, list[RuleHit]] = {}
    members: list[CommentClusterMember] = []
    for group, row in zip(groups, touched, strict=True):
        held = row.is_campaign
        reason = row.reason
        # Earlier comments brought in as matches keep their status (the desk lists
        # them with the cluster): only the batch's own, being scored now, are held.
        for item in group.joined:
            hold = held and item.comment_id in scoring
            members.append(CommentClusterMember(cluster=row, comment_id=item.comment_id, held=hold))
            if hold:
                hits[item.comment_id] = [RuleHit(RULE, "hold", reason)]
    insert_rows(members, ignore_conflicts=True)
    return hits
