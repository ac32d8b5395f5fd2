"""Which comments a person may see and decide: a section that names its moderators is
theirs alone; editors (and superusers) act everywhere.

The one place the desk (moderation.admin) and the API (moderation.api) ask.
"""

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet

from articles.models import Section
from moderation.models import Comment
from newsroom.api.permissions import is_editor

# The ids of a person's sections, when already known for this request.
_SECTION_IDS_ATTR = "_newsroom_section_ids"

OUT_OF_SCOPE = "This comment is in a section you do not moderate: its own moderators decide there."


def sections_in_scope(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Section] | None:
    """The sections a person may act in; None means every one (editors, superusers)."""
    if is_editor(user):  # type: ignore[arg-type]
        return None
    return Section.objects.filter(Q(moderators=None) | Q(moderators=user.pk))


def section_ids_in_scope(user: AbstractBaseUser | AnonymousUser) -> list[int] | None:
    """The ids of sections_in_scope (one query), or those cache_section_ids set."""
    if is_editor(user):  # type: ignore[arg-type]
        return None
    cached = getattr(user, _SECTION_IDS_ATTR, None)
    if cached is None:
        sections = sections_in_scope(user)
        assert sections is not None
        cached = sorted(sections.values_list("pk", flat=True))
        cache_section_ids(user, cached)
    return list(cached)


def cache_section_ids(user: AbstractBaseUser | AnonymousUser, ids: list[int] | None) -> None:
    """Set the scope already known (newsroom.api.callers reads it from its cache)."""
    setattr(user, _SECTION_IDS_ATTR, ids)


def _scope(user: AbstractBaseUser | AnonymousUser) -> Iterable[int] | QuerySet[Section, Any] | None:
    """What to match a comment's section against: the ids when they are known already,
    else a subquery in the caller's own statement (no query of its own)."""
    sections = sections_in_scope(user)
    if sections is None:
        return None
    cached = getattr(user, _SECTION_IDS_ATTR, None)
    return sections.values("pk") if cached is None else cached


def comments_in_scope(
    comments: QuerySet[Comment], user: AbstractBaseUser | AnonymousUser
) -> QuerySet[Comment]:
    scope = _scope(user)
    if scope is None:
        return comments
    return comments.filter(article__section__in=scope)


def comments_out_of_scope(
    user: AbstractBaseUser | AnonymousUser, comment_ids: Iterable[int]
) -> list[int]:
    """Those of the ids (of comments that exist) the person may not act on; one query."""
    scope = _scope(user)
    if scope is None:
        return []
    outside = Comment.objects.filter(pk__in=list(comment_ids)).exclude(article__section__in=scope)
    return sorted(outside.values_list("pk", flat=True))


def may_act_on(user: AbstractBaseUser | AnonymousUser, comment: Comment) -> bool:
    return not comments_out_of_scope(user, [comment.pk])
