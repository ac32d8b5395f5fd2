"""Reads for the reader pages."""

from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Correction, Reader, Site
from moderation.models import Comment

Status = Comment.Status

SORTS = {
    "oldest": ("created_at", "id"),
    "newest": ("-created_at", "-id"),
    "recommended": ("-recommend_count", "created_at", "id"),
}
DEFAULT_SORT = "oldest"
SORT_LABELS = {
    "oldest": _("Oldest first"),
    "newest": _("Newest first"),
    "recommended": _("Most recommended"),
}
# The editors' picks shown in the strip above the thread, newest pick first.
PICKS_SHOWN = 5
# What a reader's page needs of a comment; the email and IP never leave the database.
PUBLIC_FIELDS = (
    "id",
    "article_id",
    "parent_id",
    "author_name",
    "body",
    "is_spoiler",
    "created_at",
    # Whether the publisher signed the author in (the name shows with a mark); joined,
    # so no query more.
    "reader__sso_subject",
    "edited_at",
    "deleted_at",
    "recommend_count",
    "featured_at",
)
# The reader's own comments still waiting for a person: held ones, and those the
# classifier took for spam, which a moderator reviews in the auto-spam queue. A comment
# a rule rejected before any person saw it (a banned commenter's) looks the same to its
# author: nothing tells a banned reader they are banned.
AWAITING_MODERATION = Q(status=Status.PENDING) | Q(
    status__in=[Status.SPAM, Status.REJECTED], decided_at__isnull=True
)


def articles_public() -> QuerySet[Article]:
    """The articles readers may see: published, and not archived."""
    return Article.objects.filter(published_at__lte=timezone.now(), archived_at__isnull=True)


def article_list_published() -> QuerySet[Article]:
    return (
        articles_public()
        .select_related("section")
        .annotate(approved_comments=Count("comments", filter=Q(comments__status="approved")))
    )


def article_get_published(*, slug: str) -> Article:
    return articles_public().select_related("section").get(slug=slug)


def article_get_by_external_id(*, site: Site, external_id: str) -> Article | None:
    """The site's published article with the publisher's id, or None."""
    if not external_id:
        return None
    return articles_public().filter(site=site, external_id=external_id).first()


def correction_list() -> QuerySet[Correction]:
    return Correction.objects.filter(article__in=articles_public()).select_related("article")


@dataclass
class CommentPage:
    """One page of an article's comment threads, each top-level comment with its replies."""

    threads: list[Comment]
    number: int
    page_count: int
    sort: str
    approved_count: int
    # The reader's own comments awaiting moderation that have no parent on this page.
    own_unplaced: list[Comment] = field(default_factory=list)
    # The editors' picks, on the first page only.
    picks: list[Comment] = field(default_factory=list)

    def all_comments(self) -> Iterator[Comment]:
        """Every comment on the page, replies included, parents before their replies."""
        stack = [*reversed(self.threads), *reversed(self.own_unplaced), *reversed(self.picks)]
        while stack:
            comment = stack.pop()
            yield comment
            stack.extend(reversed(comment.thread_replies))  # type: ignore[attr-defined]

    @property
    def has_next(self) -> bool:
        return self.number < self.page_count

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def _descendants_sql(thread_ids: Collection[int]) -> RawSQL:
    """Ids of every approved reply under the given threads, at any depth, in one query.

    A recursive CTE (PostgreSQL and SQLite both have them) keeps the page at a fixed
    number of queries however deep the conversation goes. A reply under a comment that
    is no longer published is not shown either: it would have nothing to answer.
    """
    table = Comment._meta.db_table
    placeholders = ", ".join(["%s"] * len(thread_ids))
    sql = (
        f"WITH RECURSIVE thread(id) AS ("  # noqa: S608 (the table name is the model's)
        f" SELECT id FROM {table} WHERE parent_id IN ({placeholders}) AND status = %s"
        f" UNION ALL"
        f" SELECT c.id FROM {table} c JOIN thread t ON c.parent_id = t.id WHERE c.status = %s"
        f") SELECT id FROM thread"
    )
    # Every value is a bound parameter.
    return RawSQL(sql, (*thread_ids, Status.APPROVED, Status.APPROVED))  # noqa: S611


def _prepare(comment: Comment, *, awaiting_moderation: bool = False) -> None:
    # Set on every comment: a template looking up a missing attribute is slow.
    comment.thread_replies = []  # type: ignore[attr-defined]
    comment.awaiting_moderation = awaiting_moderation  # type: ignore[attr-defined]


@dataclass(frozen=True)
class CommentCounts:
    approved: int
    threads: int
    # The latest change to a published comment. With `approved` it tells when the
    # published set changed: a comment that leaves it lowers the count, one that joins
    # it or changes (a spoiler, an erasure) moves this time. A cached page older is stale.
    changed_at: datetime | None

    def page_count(self, per_page: int) -> int:
        return max(1, -(-self.threads // per_page))


def comment_counts(*, article: Article) -> CommentCounts:
    """Approved comments and threads, and when one of them last changed, in one query.

    Comments waiting for moderation leave it alone, so new submissions do not
    invalidate the cached pages of a busy article.
    """
    # Only columns of the comment_article_changes index, so PostgreSQL never reads a row.
    row = Comment.objects.filter(article=article, status=Status.APPROVED).aggregate(
        approved=Count("*"),
        replies=Count("parent"),
        changed_at=Max("updated_at"),
    )
    return CommentCounts(
        approved=row["approved"],
        threads=row["approved"] - row["replies"],
        changed_at=row["changed_at"],
    )


def comments_awaiting_moderation(
    *, article: Article, comment_ids: Collection[int]
) -> list[Comment]:
    """Those of the reader's own comments on the article that still await a moderator."""
    if not comment_ids:
        return []
    own = list(
        Comment.objects.filter(article=article, id__in=list(comment_ids))
        .filter(AWAITING_MODERATION)
        .select_related("reader")
        .only(*PUBLIC_FIELDS)
        .order_by("created_at", "id")
    )
    for comment in own:
        _prepare(comment, awaiting_moderation=True)
    return own


def article_comment_page(
    *,
    article: Article,
    counts: CommentCounts,
    page: int = 1,
    sort: str = DEFAULT_SORT,
    per_page: int,
    own_awaiting: Collection[Comment] = (),
) -> CommentPage:
    """A page of top-level threads with all their approved replies, in two queries
    however deep the replies go.

    `own_awaiting` are the reader's own comments awaiting moderation: each goes under
    its parent when that is on this page, and otherwise at the top of the first page.
    Raises ValueError for a page past the last.
    """
    sort = sort if sort in SORTS else DEFAULT_SORT
    page_count = counts.page_count(per_page)
    if page < 1 or page > page_count:
        raise ValueError(f"Page {page} is not between 1 and {page_count}.")
    start = (page - 1) * per_page
    threads = list(
        Comment.objects.filter(article=article, status=Status.APPROVED, parent__isnull=True)
        .select_related("reader")
        .only(*PUBLIC_FIELDS)
        .order_by(*SORTS[sort])[start : start + per_page]
    )
    by_id: dict[int, Comment] = {}
    for comment in threads:
        _prepare(comment)
        by_id[comment.pk] = comment
    if threads:
        replies = (
            Comment.objects.filter(id__in=_descendants_sql(list(by_id)))
            .select_related("reader")
            .only(*PUBLIC_FIELDS)
        )
        replies_in_order = list(replies.order_by("created_at", "id"))
        for reply in replies_in_order:
            _prepare(reply)
            by_id[reply.pk] = reply
        for reply in replies_in_order:
            by_id[reply.parent_id].thread_replies.append(reply)  # type: ignore[attr-defined,index]
    own_unplaced: list[Comment] = []
    for comment in own_awaiting:
        parent = by_id.get(comment.parent_id) if comment.parent_id else None
        if parent is not None:
            parent.thread_replies.append(comment)  # type: ignore[attr-defined]
        elif page == 1:
            own_unplaced.append(comment)
    return CommentPage(
        threads=threads,
        number=page,
        page_count=page_count,
        sort=sort,
        approved_count=counts.approved,
        own_unplaced=own_unplaced,
        picks=article_picks(article=article) if page == 1 else [],
    )


def article_picks(*, article: Article) -> list[Comment]:
    """The article's editors' picks that are still published, newest pick first."""
    picks = list(
        Comment.objects.filter(
            article=article,
            status=Status.APPROVED,
            featured_at__isnull=False,
            deleted_at__isnull=True,
        )
        .select_related("reader")
        .only(*PUBLIC_FIELDS)
        .order_by("-featured_at", "-id")[:PICKS_SHOWN]
    )
    for comment in picks:
        _prepare(comment)
    return picks


def own_published_ids(
    *, article: Article, comment_ids: Collection[int], reader: Reader | None = None
) -> set[int]:
    """The reader's own published comments on the article: those this browser posted and
    the signed-in reader's. Their page shows Edit and Delete, so it is theirs alone."""
    if not comment_ids and reader is None:
        return set()
    mine = Q(id__in=list(comment_ids))
    if reader is not None:
        mine |= Q(reader=reader)
    return set(
        Comment.objects.filter(mine, article=article, status=Status.APPROVED).values_list(
            "id", flat=True
        )
    )


class NoSiteForPublisher(Exception):
    """The publisher's account acts for no site, or not for the one named."""


class SiteNotNamed(Exception):
    """The publisher's account acts for several sites and the call named none of them."""


def site_for_publisher(*, user: Any, slug: str | None = None) -> Site:
    """The site a publisher's token acts for: the one site listing the account among its
    publishers, or, for an account listed on several, the one named by `slug`."""
    sites = Site.objects.filter(publishers=user)
    if slug:
        site = sites.filter(slug=slug).first()
        if site is None:
            raise NoSiteForPublisher(f"This account does not publish for a site {slug!r}.")
        return site
    found = list(sites[:2])
    if not found:
        raise NoSiteForPublisher(
            "This account publishes for no site: add it to a site's publishers."
        )
    if len(found) > 1:
        raise SiteNotNamed("This account publishes for several sites: name one with ?site=.")
    return found[0]
