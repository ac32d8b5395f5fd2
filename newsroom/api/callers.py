"""Who is calling the desk's API, read once per token and kept in the cache.

Without it every desk request cost two queries before its own work: the token with its
user, then the user's groups. A moderator's client calls many times a minute with the
same token, so the user's fields, roles and section scope are kept per token for a
short while and read back in one cache round trip.

A change that could refuse a caller takes effect at once, not after the TTL: saving or
deleting a user or a token, and changing a user's groups, drops that user's entries; a
change to groups or sections (which moves every moderator's scope: a section that names
its first moderator is no longer open to the others) starts a new generation, and
entries of an older one are read as missing. The TTL only bounds what a missed signal
(a raw SQL update) could leave behind.
"""

import hashlib
import uuid
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed

from newsroom.api.permissions import cache_roles, user_roles

TTL_SECONDS = 60
_GENERATION_KEY = "api-caller:generation"
# Everything on the user but the password hash, which has no business in the cache.
# Loaded this way the password is a deferred field: reading it queries the database,
# and saving the user writes only the fields loaded.
_NOT_CACHED = {"password"}


def _user_fields() -> list[str]:
    # In the model's order: Model.from_db expects the values so.
    return [
        field.attname
        for field in get_user_model()._meta.concrete_fields
        if field.attname not in _NOT_CACHED
    ]


def _key(token_key: str) -> str:
    # Not the token itself: a cache listing should not hand out working credentials.
    return "api-caller:" + hashlib.sha256(token_key.encode()).hexdigest()[:32]


def _generation() -> str:
    generation = cache.get(_GENERATION_KEY)
    if generation is None:
        generation = uuid.uuid4().hex
        # add, not set: two processes starting a generation at once agree on one.
        if not cache.add(_GENERATION_KEY, generation, None):
            generation = cache.get(_GENERATION_KEY) or generation
    return str(generation)


def _section_ids(user: AbstractBaseUser) -> list[int] | None:
    from moderation.permissions import section_ids_in_scope

    return section_ids_in_scope(user)


def _entry(token: Token, generation: str) -> dict[str, Any]:
    user = token.user
    return {
        "generation": generation,
        "user": [getattr(user, name) for name in _user_fields()],
        "roles": sorted(user_roles(user)),
        "sections": _section_ids(user),
    }


def _from_entry(token_key: str, entry: dict[str, Any]) -> tuple[AbstractBaseUser, Token]:
    user = get_user_model().from_db(DEFAULT_DB_ALIAS, _user_fields(), entry["user"])
    cache_roles(user, frozenset(entry["roles"]))
    from moderation.permissions import cache_section_ids

    cache_section_ids(user, entry["sections"])
    token = Token.from_db(DEFAULT_DB_ALIAS, ["key", "user_id"], [token_key, user.pk])
    token.user = user
    return user, token


class CachedTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, with the caller read from the cache when it can be."""

    def authenticate_credentials(self, key: str) -> tuple[AbstractBaseUser, Token]:
        found = cache.get_many([_GENERATION_KEY, _key(key)])
        entry = found.get(_key(key))
        generation = found.get(_GENERATION_KEY)
        if entry is not None and generation is not None and entry["generation"] == generation:
            return _from_entry(key, entry)
        # DRF's checks (no such token, inactive user) and its messages, from the database.
        user, token = super().authenticate_credentials(key)
        if not isinstance(token, Token):
            raise AuthenticationFailed("Invalid token.")
        cache.set(_key(key), _entry(token, generation or _generation()), TTL_SECONDS)
        return user, token


# --- Invalidation ----------------------------------------------------------------


def _now_and_on_commit(forget: Any) -> None:
    # Now, so this transaction's own later requests see it; and again after commit, in
    # case another request filled the entry from the old rows in between.
    forget()
    transaction.on_commit(forget)


def forget_tokens(token_keys: list[str]) -> None:
    if token_keys:
        _now_and_on_commit(lambda: cache.delete_many([_key(k) for k in token_keys]))


def forget_users(user_ids: list[int]) -> None:
    if user_ids:
        keys = list(Token.objects.filter(user_id__in=user_ids).values_list("key", flat=True))
        forget_tokens(keys)


def forget_everyone() -> None:
    _now_and_on_commit(lambda: cache.set(_GENERATION_KEY, uuid.uuid4().hex, None))


def _on_token_changed(sender: Any, instance: Token, **kwargs: Any) -> None:
    forget_tokens([instance.key])


def _on_user_changed(sender: Any, instance: AbstractBaseUser, **kwargs: Any) -> None:
    forget_users([instance.pk])


def _on_group_or_section_changed(sender: Any, **kwargs: Any) -> None:
    # Saves and deletes carry no action; a change of section.moderators is acted on once.
    if kwargs.get("action", "post_").startswith("post_"):
        forget_everyone()


def _on_user_groups_changed(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: set[int] | None, **kwargs: Any
) -> None:
    if not action.startswith("post_"):
        return
    if not reverse:  # user.groups.add(...): this user
        forget_users([instance.pk])
    elif pk_set is not None:  # group.user_set.add(...): these users
        forget_users(sorted(pk_set))
    else:  # group.user_set.clear(): whoever they were
        forget_everyone()


def connect() -> None:
    """Listen for the changes above (called once, from an app's ready())."""
    from articles.models import Section

    user_model = get_user_model()
    uid = "newsroom.api.callers"
    for name, signal in (("save", post_save), ("delete", post_delete)):
        signal.connect(_on_token_changed, sender=Token, dispatch_uid=f"{uid}.token.{name}")
        signal.connect(_on_user_changed, sender=user_model, dispatch_uid=f"{uid}.user.{name}")
        for model in (Group, Section):
            signal.connect(
                _on_group_or_section_changed,
                sender=model,
                dispatch_uid=f"{uid}.{model.__name__}.{name}",
            )
    m2m_changed.connect(
        _on_user_groups_changed,
        sender=user_model.groups.through,
        dispatch_uid=f"{uid}.user_groups",
    )
    m2m_changed.connect(
        _on_group_or_section_changed,
        sender=Section.moderators.through,
        dispatch_uid=f"{uid}.section_moderators",
    )
