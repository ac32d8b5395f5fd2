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
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from moderation.campaigns import signature as sig
from moderation.models import Comment, CommentCluster, CommentClusterMember, CommentSignature
from moderation.policy import RuleHit

RULE = "campaign"
State = CommentCluster.State


@dataclass
class _Seen:
    """A comment as the rule compares it: the batch's own or a candidate from before."""

    comment_id: int
    created_at: datetime
    author: str
    prefix: str
    signature: sig.Signature
    cluster_id: int | None = None
    # A member of a dismissed cluster: matched beyond the window, never held.
    dismissed: bool = False


@dataclass
class _Cluster:
    """A cluster as this batch changes it."""

    row: CommentCluster | None
    members: list[_Seen] = field(default_factory=list)
    joined: list[_Seen] = field(default_factory=list)


def window() -> timedelta:
    return timedelta(minutes=settings.CAMPAIGN_WINDOW_MINUTES)


def is_campaign(cluster: CommentCluster) -> bool:
    """Over the threshold and not dismissed: its new members are held."""
    return (
        cluster.state != State.DISMISSED
        and cluster.size >= settings.CAMPAIGN_MIN_SIZE
        and cluster.authors >= settings.CAMPAIGN_MIN_AUTHORS
    )


def campaign_reason(cluster: CommentCluster) -> str:
    minutes = max(1, round((cluster.last_seen - cluster.first_seen).total_seconds() / 60))
    return (
        f"campaign: {cluster.size} near-identical comments from {cluster.authors} authors "
        f"in {minutes} min"
    )


def _seen(
    comment_id: int, created_at: datetime, body: str, email: str, name: str, ip: str | None
) -> _Seen:
    prefix = sig.ip_prefix(ip)
    return _Seen(
        comment_id, created_at, sig.author_key(email, name, prefix), prefix, sig.signature(body)
    )


def _candidates(batch: list[_Seen], oldest: datetime) -> dict[int, _Seen]:
    """The stored comments sharing a band with any of the batch (one query)."""
    hashes = {value for seen in batch for value in seen.signature.bands}
    if not hashes:
        return {}
    rows = (
        CommentSignature.objects.filter(hash__in=hashes)
        .filter(Q(created_at__gte=oldest) | Q(dismissed=True))
        .exclude(comment_id__in=[seen.comment_id for seen in batch])
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
    found: dict[int, _Seen] = {}
    for comment_id, _hash, created_at, body, email, name, ip, cluster_id, dismissed in rows:
        if comment_id not in found:
            found[comment_id] = _seen(comment_id, created_at, body, email, name, ip)
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
    batch: list[_Seen] = []
    already: dict[int, int] = {}
    for comment in comments:
        if comment.pk not in extra:
            continue
        created_at, ip, cluster_id = extra[comment.pk]
        if cluster_id is not None:
            # Scored before (a redelivered task): its place stands.
            already[comment.pk] = cluster_id
            continue
        seen = _seen(
            comment.pk, created_at, comment.body, comment.author_email, comment.author_name, ip
        )
        if seen.signature.comparable:
            batch.append(seen)
    batch.sort(key=lambda seen: (seen.created_at, seen.comment_id))
    hits: dict[int, list[RuleHit]] = {}
    if batch:
        with transaction.atomic():
            hits = _assign(batch)
    if already:
        for cluster in CommentCluster.objects.filter(pk__in=set(already.values())):
            if is_campaign(cluster):
                for comment_id, cluster_id in already.items():
                    if cluster_id == cluster.pk:
                        hits[comment_id] = [RuleHit(RULE, "hold", campaign_reason(cluster))]
    return hits


def _assign(batch: list[_Seen]) -> dict[int, list[RuleHit]]:
    span = window()
    known = _candidates(batch, batch[0].created_at - span)
    index: dict[int, list[int]] = defaultdict(list)
    for seen in known.values():
        for value in seen.signature.bands:
            index[value].append(seen.comment_id)
    clusters: dict[int, _Cluster] = {}
    new_clusters: list[_Cluster] = []
    owner: dict[int, _Cluster] = {}  # comment id -> the cluster this batch put it in
    for seen in batch:
        matches = [
            other
            for other in (known[pk] for pk in sig.candidates(seen.signature.bands, index))
            if (other.dismissed or seen.created_at - other.created_at <= span)
            and sig.is_match(
                seen.signature,
                other.signature,
                shared_prefix=bool(seen.prefix) and seen.prefix == other.prefix,
            )
        ]
        if matches:
            target = _target(matches, clusters, new_clusters, owner)
            for other in matches:
                if other.comment_id not in owner and other.cluster_id is None:
                    target.joined.append(other)
                    owner[other.comment_id] = target
            target.joined.append(seen)
            owner[seen.comment_id] = target
        known[seen.comment_id] = seen
        for value in seen.signature.bands:
            index[value].append(seen.comment_id)
    _store_signatures(batch)
    return _write_clusters(clusters, new_clusters, {seen.comment_id for seen in batch})


def _target(
    matches: list[_Seen],
    clusters: dict[int, _Cluster],
    new_clusters: list[_Cluster],
    owner: dict[int, _Cluster],
) -> _Cluster:
    """The cluster a comment joins: that of its matches (the oldest), else a new one."""
    existing = sorted({m.cluster_id for m in matches if m.cluster_id is not None})
    if existing:
        return clusters.setdefault(existing[0], _Cluster(row=None))
    for other in matches:
        if other.comment_id in owner:
            return owner[other.comment_id]
    cluster = _Cluster(row=None)
    new_clusters.append(cluster)
    return cluster


def _store_signatures(batch: list[_Seen]) -> None:
    CommentSignature.objects.bulk_create(
        [
            CommentSignature(
                comment_id=seen.comment_id, band=band, hash=value, created_at=seen.created_at
            )
            for seen in batch
            for band, value in enumerate(seen.signature.bands)
        ],
        ignore_conflicts=True,
    )


def _write_clusters(
    clusters: dict[int, _Cluster], new_clusters: list[_Cluster], scoring: set[int]
) -> dict[int, list[RuleHit]]:
    """Create and update the clusters touched, add their members; the hits of the held."""
    rows = {c.pk: c for c in CommentCluster.objects.select_for_update().filter(pk__in=clusters)}
    for pk, cluster in clusters.items():
        cluster.row = rows[pk]
    for cluster in new_clusters:
        first = min(seen.created_at for seen in cluster.joined)
        cluster.row = CommentCluster(first_seen=first, last_seen=first)
    hits: dict[int, list[RuleHit]] = {}
    members: list[CommentClusterMember] = []
    for cluster in [*clusters.values(), *new_clusters]:
        row = cluster.row
        assert row is not None
        keys = set(row.author_keys) | {seen.author for seen in cluster.joined}
        row.author_keys = sorted(keys)
        row.authors = len(keys)
        row.size += len(cluster.joined)
        row.first_seen = min([row.first_seen, *(s.created_at for s in cluster.joined)])
        row.last_seen = max([row.last_seen, *(s.created_at for s in cluster.joined)])
        row.save()
        held = is_campaign(row)
        reason = campaign_reason(row)
        # Earlier comments brought in as matches keep their status (the desk lists
        # them with the cluster): only the batch's own, being scored now, are held.
        for seen in cluster.joined:
            hold = held and seen.comment_id in scoring
            members.append(CommentClusterMember(cluster=row, comment_id=seen.comment_id, held=hold))
            if hold:
                hits[seen.comment_id] = [RuleHit(RULE, "hold", reason)]
    CommentClusterMember.objects.bulk_create(members, ignore_conflicts=True)
    return hits
