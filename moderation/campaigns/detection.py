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

from django.db import transaction
from django.db.models import Q

from moderation.campaigns import RULE, window
from moderation.campaigns.clustering import Group, Seen, assign, seen
from moderation.campaigns.signature import author_key, ip_prefix
from moderation.models import Comment, CommentCluster, CommentClusterMember, CommentSignature
from moderation.policy import RuleHit
from moderation.services import relax_commit

State = CommentCluster.State


def _candidates(batch: list[Seen], oldest: datetime) -> dict[int, Seen]:
    """The stored comments sharing a band with any of the batch (one query)."""
    hashes = {value for item in batch for value in item.signature.bands}
    if not hashes:
        return {}
    rows = (
        CommentSignature.objects.filter(hash__in=hashes)
        .filter(Q(created_at__gte=oldest) | Q(dismissed=True))
        .exclude(comment_id__in=[item.comment_id for item in batch])
        .values_list(
            "comment_id",
            "hash",
            "comment__created_at",
            "comment__body",
            "comment__author_email",
            "comment__author_name",
            "comment__ip_address",
            "comment__cluster_membership__cluster_id",
            "dismissed",
        )
    )
    found: dict[int, Seen] = {}
    for comment_id, _hash, created_at, body, email, name, ip, cluster_id, dismissed in rows:
        if comment_id not in found:
            found[comment_id] = seen(comment_id, created_at, body, email, name, ip)
            found[comment_id].cluster_id = cluster_id
            found[comment_id].dismissed = dismissed
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
    CommentSignature.objects.bulk_create(
        [
            CommentSignature(
                comment_id=item.comment_id, band=band, hash=value, created_at=item.created_at
            )
            for item in batch
            for band, value in enumerate(item.signature.bands)
        ],
        ignore_conflicts=True,
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
    hits: dict[int, list[RuleHit]] = {}
    members: list[CommentClusterMember] = []
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
        row.save()
        held = row.is_campaign
        reason = row.reason
        # Earlier comments brought in as matches keep their status (the desk lists
        # them with the cluster): only the batch's own, being scored now, are held.
        for item in group.joined:
            hold = held and item.comment_id in scoring
            members.append(CommentClusterMember(cluster=row, comment_id=item.comment_id, held=hold))
            if hold:
                hits[item.comment_id] = [RuleHit(RULE, "hold", reason)]
    CommentClusterMember.objects.bulk_create(members, ignore_conflicts=True)
    return hits
