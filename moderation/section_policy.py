"""Each comment's effective policy: the site's, overlaid with its article's section's.

The scoring path, the rules and the desk's per-comment views all ask here: one small
query per batch (its articles' sections), none for comments that came with
select_related("article__section") or were asked about before (the policy is kept on
the comment object, so the rules and the scoring share it). Policies are built once
per section, not per comment.
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from articles.models import Article, CommentMode, Section
from moderation.models import Comment
from moderation.policy import ModerationPolicy, PolicyError, site_policy

logger = logging.getLogger(__name__)

# The section's fields the policy reads.
SECTION_FIELDS = (
    "id",
    "name",
    "spam_reject",
    "spam_hold",
    "spoiler_flag",
    "hold_links",
    "abuse_reject",
    "abuse_hold",
)
# Where a comment object keeps its policy once asked.
_KEPT = "_section_policy"


def section_policy(
    section: Section | None, site: ModerationPolicy | None = None
) -> ModerationPolicy:
    """The site's policy with the section's own values overlaid (unset ones: the site's).

    Raises PolicyError if they cannot work together (Section.clean refuses to save such
    values; the site's settings may have moved since)."""
    site = site or site_policy()
    if section is None:
        return site
    return site.overlay(
        spam_reject=section.spam_reject,
        spam_hold=section.spam_hold,
        spoiler_flag=section.spoiler_flag,
        hold_links=section.hold_links,
        scope=section.name,
        abuse_reject=section.abuse_reject,
        abuse_hold=section.abuse_hold,
    )


def comment_policies(comments: Sequence[Comment]) -> dict[int, ModerationPolicy]:
    """Each comment's effective policy, by comment id."""
    asked = [comment for comment in comments if _KEPT not in comment.__dict__]
    if asked:
        site = site_policy()
        sections = _sections_by_article(asked)
        built: dict[int, ModerationPolicy] = {}
        for comment in asked:
            section = sections[comment.article_id]
            if section.pk not in built:
                built[section.pk] = _usable_policy(section, site)
            comment.__dict__[_KEPT] = built[section.pk]
    return {comment.pk: comment.__dict__[_KEPT] for comment in comments}


def comment_policy(comment: Comment) -> ModerationPolicy:
    return comment_policies([comment])[comment.pk]


def _usable_policy(section: Section, site: ModerationPolicy) -> ModerationPolicy:
    try:
        return section_policy(section, site)
    except PolicyError as error:
        # Comments keep being scored: by the site's policy until someone fixes it.
        logger.warning("Section %r's policy is unusable (%s): the site's applies.", section, error)
        return site


def _sections_by_article(comments: Sequence[Comment]) -> dict[int, Section]:
    loaded: dict[int, Section] = {}
    missing: set[int] = set()
    for comment in comments:
        if Comment.article.is_cached(comment) and Article.section.is_cached(comment.article):  # type: ignore[attr-defined]
            loaded[comment.article_id] = comment.article.section
        else:
            missing.add(comment.article_id)
    if missing:
        articles = Article.objects.filter(pk__in=missing).select_related("section")
        for article in articles.only("id", *(f"section__{name}" for name in SECTION_FIELDS)):
            loaded[article.pk] = article.section
    return loaded


# --- the section policy page -------------------------------------------------------


@dataclass(frozen=True)
class PolicyRow:
    name: str
    label: str
    own: str | None  # None: unset, the site's applies
    effective: str


@dataclass(frozen=True)
class SectionPolicyView:
    rows: list[PolicyRow]
    error: str

    def row(self, name: str) -> PolicyRow:
        return next(row for row in self.rows if row.name == name)


def _number(value: float | None) -> str | None:
    return None if value is None else f"{value:g}"


def _days(days: int | None) -> str | None:
    return None if days is None else f"{days} day{'s' if days != 1 else ''} after publication"


def _links(held: bool | None) -> str | None:
    return None if held is None else ("held for review" if held else "allowed")


def section_policy_view(section: Section) -> SectionPolicyView:
    """Each setting as the section sets it beside what applies (the site's where unset)."""
    site = site_policy()
    error = ""
    try:
        policy = section_policy(section, site)
    except PolicyError as problem:
        policy, error = site, f"{problem} Until this is fixed the site's policy applies."
    mode = section.comment_mode
    return SectionPolicyView(
        rows=[
            PolicyRow(
                "spam_hold",
                "Hold for a person from spam score",
                _number(section.spam_hold),
                f"{policy.spam_hold:g}",
            ),
            PolicyRow(
                "spam_reject",
                "Hide as spam from spam score",
                _number(section.spam_reject),
                f"{policy.spam_reject:g}",
            ),
            PolicyRow(
                "spoiler_flag",
                "Flag as a spoiler from spoiler score",
                _number(section.spoiler_flag),
                f"{policy.spoiler_flag:g}",
            ),
            PolicyRow(
                "abuse_hold",
                "Hold for a person from abuse score",
                _number(section.abuse_hold),
                f"{policy.abuse_hold:g}",
            ),
            PolicyRow(
                "abuse_reject",
                "Reject from abuse score",
                _number(section.abuse_reject),
                f"{policy.abuse_reject:g}",
            ),
            PolicyRow(
                "comment_mode",
                "Comments on new articles",
                CommentMode(mode).label if mode else None,
                CommentMode(section.new_article_comment_mode).label,
            ),
            PolicyRow(
                "auto_close_days",
                "Close comments",
                _days(section.auto_close_days),
                _days(section.auto_close_days) or "never",
            ),
            PolicyRow(
                "hold_links",
                "Comments with links",
                _links(section.hold_links),
                _links(policy.hold_links) or "",
            ),
        ],
        error=error,
    )
