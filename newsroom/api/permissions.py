"""Who may call what: readers anything public, the Moderators group the desk, Editors all,
Publishers (a CMS's account) the article sync."""

from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from moderation.roles import EDITORS, MODERATORS, PUBLISHERS

# Cached on the user object so a request asks the database for its groups at most once.
_ROLES_ATTR = "_newsroom_roles"


def cache_roles(user: User | AnonymousUser, roles: frozenset[str]) -> None:
    """Set the roles already known (newsroom.api.callers reads them from its cache)."""
    setattr(user, _ROLES_ATTR, roles)


def user_roles(user: User | AnonymousUser) -> frozenset[str]:
    """The newsroom roles a user holds; superusers hold every role."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, _ROLES_ATTR, None)
    if cached is None:
        if user.is_superuser:
            cached = frozenset({MODERATORS, EDITORS, PUBLISHERS})
        else:
            names = set(
                user.groups.filter(name__in=[MODERATORS, EDITORS, PUBLISHERS]).values_list(
                    "name", flat=True
                )
            )
            cached = frozenset(names)
        setattr(user, _ROLES_ATTR, cached)
    return cached


def is_moderator(user: User | AnonymousUser) -> bool:
    # Editors hold every moderator right.
    return bool(user_roles(user) & {MODERATORS, EDITORS})


def is_editor(user: User | AnonymousUser) -> bool:
    return EDITORS in user_roles(user)


class IsModerator(BasePermission):
    """Members of the Moderators or Editors group, and superusers."""

    message = "Only moderators and editors may use the moderation desk."

    def has_permission(self, request: Request, view: Any) -> bool:
        return is_moderator(request.user)


class IsEditor(BasePermission):
    """Members of the Editors group, and superusers."""

    message = "Only editors may do this."

    def has_permission(self, request: Request, view: Any) -> bool:
        return is_editor(request.user)


def is_publisher(user: User | AnonymousUser) -> bool:
    return PUBLISHERS in user_roles(user)


class IsPublisher(BasePermission):
    """Members of the Publishers group (a CMS's account), and superusers."""

    message = "Only a publisher's account may sync articles."

    def has_permission(self, request: Request, view: Any) -> bool:
        return is_publisher(request.user)
