"""Which comments a person may see and decide: a section that names its moderators is
theirs alone; editors (and superusers) act everywhere.

The one place the desk (moderation.admin) and the API (moderation.api) ask.
"""

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet

from articles.models import Section
from moderation.models import Comment
from newsroom.api.permissions import is_editor

OUT_OF_SCOPE = "This comment is in a section you do not moderate: its own moderators decide there."


def sections_in_scope(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Section] | None:
    """The sections a person may act in; None means every one (editors, superusers)."""
    if is_editor(user):  # type: ignore[arg-type]
        return None
    return Section.objects.filter(Q(moderators=None) | Q(moderators=user.pk))


def comments_in_scope(
    comments: QuerySet[Comment], user: AbstractBaseUser | AnonymousUser
) -> QuerySet[Comment]:
    sections = sections_in_scope(user)
    if sections is None:
        return comments
    return comments.filter(article__section__in=sections.values("pk"))


def comments_out_of_scope(
    user: AbstractBaseUser | AnonymousUser, comment_ids: Iterable[int]
) -> list[int]:
    """Those of the ids (of comments that exist) the person may not act on; one query."""
    sections = sections_in_scope(user)
    if sections is None:
        return []
    outside = Comment.objects.filter(pk__in=list(comment_ids)).exclude(
        article__section__in=sections.values("pk")
    )
    return sorted(outside.values_list("pk", flat=True))


def may_act_on(user: AbstractBaseUser | AnonymousUser, comment: Comment) -> bool:
    return not comments_out_of_scope(user, [comment.pk])
