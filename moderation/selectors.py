"""Reads of comments for readers and moderators."""

import ipaddress
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import (
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone

from articles.models import Article
from moderation.abuse import rejected_for_abuse
from moderation.models import Comment, CommenterSanction

Status = Comment.Status

# The desk's queues; each is a filter on indexed columns. "auto_spam" waits for a
# person's status decision, "spoiler" for a person's review of the spoiler flag: one
# does not take a comment out of the other's queue.
QUEUES: dict[str, Q] = {
    "pending": Q(status=Status.PENDING),
    "auto_spam": Q(status=Status.SPAM, decided_at__isnull=True),
    "spoiler": Q(is_spoiler=True, spoiler_reviewed_at__isnull=True)
    & Q(status__in=[Status.PENDING, Status.APPROVED]),
    # Open reports on a comment readers can see, or one their reports held.
    "reported": Q(reports_count__gt=0, status__in=[Status.PENDING, Status.APPROVED]),
    # Published by the model and seen by no person: where its misses hide.
    "unmoderated": Q(status=Status.APPROVED, decided_at__isnull=True),
}

# The statuses a comment in each queue can have: the desk's status filter offers these.
QUEUE_STATUSES: dict[str, tuple[str, ...]] = {
    "pending": (Status.PENDING,),
    "auto_spam": (Status.SPAM,),
    "spoiler": (Status.PENDING, Status.APPROVED),
    "reported": (Status.PENDING, Status.APPROVED),
    "unmoderated": (Status.APPROVED,),
}

# Queues read newest first rather than by priority: the unmoderated queue is a stream
# to catch the model's recent mistakes in, not a backlog to clear.
NEWEST_FIRST_QUEUES = frozenset({"unmoderated"})
NEWEST_FIRST_ORDER = ("-created_at", "-id")

# Most uncertain first, then oldest: the order a moderator should clear the queue in.
PRIORITY_ORDER = ("-uncertainty", "created_at", "id")


# Which person's decision labels a comment for each classifier: a status decision
# for spam and abuse, a review of the spoiler flag for spoilers.
LABELLED_AT = {"spam": "decided_at", "spoiler": "spoiler_reviewed_at", "abuse": "decided_at"}


def comment_list_labelled(*, task: str, since: datetime | None = None) -> QuerySet[Comment]:
    """Comments a person labelled for `task` (after `since`, when given). A comment its
    author deleted has no text left to learn from."""
    stamp = LABELLED_AT[task]
    comments = Comment.objects.filter(**{f"{stamp}__isnull": False}, deleted_at__isnull=True)
    if task == "abuse":
        # Approved, or rejected for abuse: other rejections and spam say nothing of it.
        comments = comments.filter(
            Q(status=Status.APPROVED) | (Q(status=Status.REJECTED) & Q(rejected_for_abuse()))
        )
    if since is not None:
        comments = comments.filter(**{f"{stamp}__gt": since})
    return comments


def comment_list_approved(*, article: Article) -> QuerySet[Comment]:
    """Approved comments in the order they were posted; the email and IP never leave."""
    return (
        Comment.objects.filter(article=article, status=Status.APPROVED)
        .select_related("reader")
        .only(
            "id",
            "parent_id",
            "author_name",
            "body",
            "is_spoiler",
            "created_at",
            "article_id",
            # Whether the publisher signed the author in: the name carries a mark.
            "reader__sso_subject",
            "edited_at",
            "deleted_at",
            "featured_at",
            "recommend_count",
        )
        .order_by("created_at", "id")
    )


def comment_reply_target(*, article: Article, comment_id: int) -> Comment | None:
    """The comment a reader may reply to: published, on this article; None otherwise."""
    return comment_list_approved(article=article).filter(pk=comment_id, deleted_at=None).first()


def _author_history(status: str) -> Coalesce:
    """How many of the same author's earlier comments ended in `status` (matched by email)."""
    earlier = (
        Comment.objects.filter(
            author_email=OuterRef("author_email"),
            status=status,
            created_at__lt=OuterRef("created_at"),
        )
        .exclude(author_email="")
        .order_by()
        .values("author_email")
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(earlier, output_field=IntegerField()), Value(0))


def comment_queue(*, queue: str | None = "pending") -> QuerySet[Comment]:
    """Comments for the desk, with their article and the author's track record, by priority."""
    comments = Comment.objects.all()
    if queue is not None:
        comments = comments.filter(QUEUES[queue])
    return (
        comments.select_related("article__section", "parent", "decided_by", "spoiler_reviewed_by")
        .annotate(
            author_approved_count=_author_history(Status.APPROVED),
            author_rejected_count=_author_history(Status.REJECTED),
        )
        .order_by(*PRIORITY_ORDER)
    )


def queue_order(queue: str | None) -> tuple[str, ...]:
    return NEWEST_FIRST_ORDER if queue in NEWEST_FIRST_QUEUES else PRIORITY_ORDER


def comment_sample_unmoderated(*, size: int, since: datetime) -> list[int]:
    """The ids of `size` comments picked at random among those published by the model
    since `since` (a quality check of the model's own decisions)."""
    return list(
        Comment.objects.filter(QUEUES["unmoderated"], created_at__gte=since)
        .order_by("?")
        .values_list("pk", flat=True)[:size]
    )


def queue_sizes() -> dict[str, int]:
    return Comment.objects.aggregate(
        **{name: Count("id", filter=condition) for name, condition in QUEUES.items()}
    )


@dataclass(frozen=True)
class CommenterHistory:
    """People's decisions on one commenter's comments."""

    approved: int = 0
    rejected: int = 0
    spam: int = 0
    # The statuses of their latest decided comments, newest first (at most the depth asked).
    recent: tuple[str, ...] = ()

    @property
    def decided(self) -> int:
        return self.approved + self.rejected + self.spam


def commenter_histories(*, emails: Iterable[str], depth: int) -> dict[str, CommenterHistory]:
    """Each commenter's record, by email, in one query for all of them.

    Only comments a person decided count (decided_at set): the statuses the model set by
    itself are its own guesses, and trust built on them would let the model's misses
    vouch for a commenter (a spammer slipping under the hold band earning the right to
    skip it). A commenter with no decided comment is absent.
    """
    wanted = sorted({email for email in emails if email})
    if not wanted:
        return {}
    by_author = [F("author_email")]

    def counted(status: str) -> Window:
        return Window(Count("id", filter=Q(status=status)), partition_by=by_author)

    rows = (
        Comment.objects.filter(author_email__in=wanted, decided_at__isnull=False)
        .annotate(
            position=Window(
                RowNumber(),
                partition_by=by_author,
                order_by=[F("created_at").desc(), F("id").desc()],
            ),
            n_approved=counted(Status.APPROVED),
            n_rejected=counted(Status.REJECTED),
            n_spam=counted(Status.SPAM),
        )
        .filter(position__lte=depth)
        .order_by("author_email", "position")
        .values_list("author_email", "status", "n_approved", "n_rejected", "n_spam")
    )
    recent: dict[str, list[str]] = {}
    counts: dict[str, tuple[int, int, int]] = {}
    for email, status, approved, rejected, spam in rows:
        recent.setdefault(email, []).append(status)
        counts[email] = (approved, rejected, spam)
    return {
        email: CommenterHistory(*counts[email], recent=tuple(statuses))
        for email, statuses in recent.items()
    }


def email_domains(email: str) -> list[str]:
    """The domain of an address and each parent domain with a dot: a.b.example.org gives
    a.b.example.org, b.example.org, example.org (what a domain sanction may name)."""
    labels = email.rpartition("@")[2].split(".")
    return [".".join(labels[i:]) for i in range(len(labels) - 1) if labels[i]]


def sanction_active_q(at: datetime) -> Q:
    return Q(lifted_at__isnull=True) & (Q(until__isnull=True) | Q(until__gt=at))


SANCTION_STATES: dict[str, Callable[[datetime], Q]] = {
    "active": sanction_active_q,
    "expired": lambda at: Q(lifted_at__isnull=True, until__lte=at),
    "lifted": lambda at: Q(lifted_at__isnull=False),
}

SANCTION_STATE_NAMES = tuple(SANCTION_STATES)


def commenter_sanction_list(*, state: str | None = "active") -> QuerySet[CommenterSanction]:
    """Sanctions newest first, in a state (active, expired, lifted) or all (None)."""
    sanctions = CommenterSanction.objects.select_related("created_by", "lifted_by")
    if state is not None:
        sanctions = sanctions.filter(SANCTION_STATES[state](timezone.now()))
    return sanctions.order_by("-created_at", "-id")


def sanctions_matching(*, emails: Iterable[str]) -> list[CommenterSanction]:
    """The sanctions in force on any of these addresses (by address or domain), one query."""
    wanted = {email for email in emails if email}
    if not wanted:
        return []
    domains = {domain for email in wanted for domain in email_domains(email)}
    return list(
        CommenterSanction.objects.filter(sanction_active_q(timezone.now()))
        .filter(Q(match_email__in=wanted) | Q(match_domain__in=domains))
        .order_by("created_at", "id")
    )


# How many candidate rows an address lookup reads at most (a busy shared address).
ADDRESS_LOOKUP_LIMIT = 5000


def comments_from_same_address(comment: Comment) -> int:
    """How many other comments came from the comment's network (the /24 of an IPv4
    address, the /48 of an IPv6 one); moderators see the count, never the address."""
    from moderation.campaigns.signature import ip_prefix

    prefix = ip_prefix(comment.ip_address)
    if not prefix:
        return 0
    network = ipaddress.ip_network(prefix)
    address = str(comment.ip_address)
    # The text before the first separator narrows the rows in the database; the
    # network decides.
    lead = address.split("." if network.version == 4 else ":")[0]
    candidates = Comment.objects.exclude(pk=comment.pk).filter(ip_address__isnull=False)
    if lead:
        candidates = candidates.filter(ip_address__startswith=lead)
    addresses = candidates.values_list("ip_address", flat=True)[:ADDRESS_LOOKUP_LIMIT]
    return sum(1 for other in addresses if other and ipaddress.ip_address(other) in network)


@dataclass(frozen=True)
class AuthorHistory:
    """A commenter's other comments as the comment's page shows them."""

    # By the same email or the same reader account, newest first.
    others: list[Comment]
    # Those comments, counted by status.
    outcomes: dict[str, int]
    same_reader: int
    same_address: int


def comment_author_history(comment: Comment, *, shown: int) -> AuthorHistory:
    same = Q()
    if comment.author_email:
        same |= Q(author_email=comment.author_email)
    if comment.reader_id is not None:
        same |= Q(reader_id=comment.reader_id)
    if not same:
        return AuthorHistory([], {}, 0, comments_from_same_address(comment))
    same_author = Comment.objects.filter(same).exclude(pk=comment.pk)
    others = list(same_author.select_related("article").order_by("-created_at")[:shown])
    outcomes = dict(
        same_author.order_by()
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    same_reader = (
        Comment.objects.filter(reader_id=comment.reader_id).exclude(pk=comment.pk).count()
        if comment.reader_id is not None
        else 0
    )
    return AuthorHistory(others, outcomes, same_reader, comments_from_same_address(comment))


def comment_list_reader_tagged_spoilers() -> QuerySet[Comment]:
    """Published comments their authors tagged as spoilers, the flag not reviewed by a person."""
    return Comment.objects.filter(
        author_spoiler_tag=True, spoiler_reviewed_at__isnull=True, status=Status.APPROVED
    )
