"""Which cluster each comment of a batch joins. Pure: no ORM, no settings.

The scoring rule (moderation.campaigns.detection) and the benchmark (bench/campaigns.py)
both place comments with `assign`, so the figures measured are those of the code that
runs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from moderation.campaigns import signature as sig


@dataclass
class Seen:
    """A comment as campaigns compare it: one being placed, or a candidate from before."""

    comment_id: int
    created_at: datetime
    author: str
    prefix: str
    signature: sig.Signature
    cluster_id: int | None = None
    # A member of a dismissed cluster: matched beyond the window, never held.
    dismissed: bool = False


def seen(
    comment_id: int, created_at: datetime, body: str, email: str, name: str, ip: str | None
) -> Seen:
    prefix = sig.ip_prefix(ip)
    return Seen(
        comment_id, created_at, sig.author_key(email, name, prefix), prefix, sig.signature(body)
    )


@dataclass
class Group:
    """What a batch adds to one cluster: an existing one (cluster_id) or a new one."""

    cluster_id: int | None
    joined: list[Seen] = field(default_factory=list)


def index_of(known: Mapping[int, Seen]) -> dict[int, list[int]]:
    """{band hash: comment ids} over comments already placed."""
    index: dict[int, list[int]] = defaultdict(list)
    for item in known.values():
        for value in item.signature.bands:
            index[value].append(item.comment_id)
    return index


def matches(
    item: Seen, known: Mapping[int, Seen], index: Mapping[int, list[int]], span: timedelta
) -> list[Seen]:
    """The earlier comments `item` nearly copies: sharing a band, within the window (or
    in a dismissed cluster), and similar enough (less so with a shared link or prefix)."""
    return [
        other
        for other in (known[pk] for pk in sig.candidates(item.signature.bands, index))
        if (other.dismissed or item.created_at - other.created_at <= span)
        and sig.is_match(
            item.signature,
            other.signature,
            shared_prefix=bool(item.prefix) and item.prefix == other.prefix,
        )
    ]


def assign(
    batch: list[Seen],
    known: dict[int, Seen],
    span: timedelta,
    index: dict[int, list[int]] | None = None,
) -> list[Group]:
    """Place a batch, oldest first, among the comments `known` before it.

    A comment nearly copying others joins the oldest cluster among them, else a new
    one together with those of them in none yet. The batch's comments join `known`
    (and `index`, built from it when not given) as they are placed.
    """
    index = index_of(known) if index is None else index
    groups: dict[int, Group] = {}
    fresh: list[Group] = []
    owner: dict[int, Group] = {}  # comment id -> the group this batch put it in
    for item in sorted(batch, key=lambda s: (s.created_at, s.comment_id)):
        found = matches(item, known, index, span)
        if found:
            target = _target(found, groups, fresh, owner)
            for other in found:
                if other.comment_id not in owner and other.cluster_id is None:
                    target.joined.append(other)
                    owner[other.comment_id] = target
            target.joined.append(item)
            owner[item.comment_id] = target
        known[item.comment_id] = item
        for value in item.signature.bands:
            index[value].append(item.comment_id)
    return [*groups.values(), *fresh]


def _target(
    found: list[Seen], groups: dict[int, Group], fresh: list[Group], owner: dict[int, Group]
) -> Group:
    existing = sorted({m.cluster_id for m in found if m.cluster_id is not None})
    if existing:
        return groups.setdefault(existing[0], Group(existing[0]))
    for other in found:
        if other.comment_id in owner:
            return owner[other.comment_id]
    group = Group(None)
    fresh.append(group)
    return group
