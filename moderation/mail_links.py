"""Signed links in mails to readers: confirm an address, turn mail off, read a decision.

No login: the signature is the proof. A link whose signature fails, or that has expired,
is refused with a page that says so (the views), and nothing changes.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse

CONFIRM_SALT = "moderation.mail.confirm"
UNSUBSCRIBE_SALT = "moderation.mail.unsubscribe"
DECISION_SALT = "moderation.mail.decision"
ALL_KINDS = "all"


class BadLink(Exception):
    """The link was not made by us, was altered, or has expired."""


def absolute(path: str) -> str:
    return f"{settings.PUBLIC_BASE_URL}{path}"


def confirm_url(recipient_id: int) -> str:
    token = signing.dumps(recipient_id, salt=CONFIRM_SALT)
    return absolute(reverse("mail:confirm", kwargs={"token": token}))


def unsubscribe_url(recipient_id: int, kind: str = ALL_KINDS) -> str:
    token = signing.dumps({"r": recipient_id, "k": kind}, salt=UNSUBSCRIBE_SALT)
    return absolute(reverse("mail:unsubscribe", kwargs={"token": token}))


def decision_url(event_id: int) -> str:
    token = signing.dumps(event_id, salt=DECISION_SALT)
    return absolute(reverse("mail:decision", kwargs={"token": token}))


def _load(token: str, salt: str, max_age: int | None = None) -> object:
    try:
        return signing.loads(token, salt=salt, max_age=max_age)
    except signing.BadSignature:  # SignatureExpired is one
        raise BadLink from None


def read_confirm(token: str) -> int:
    value = _load(token, CONFIRM_SALT, max_age=settings.MAIL_CONFIRM_LINK_DAYS * 86400)
    if not isinstance(value, int):
        raise BadLink
    return value


def read_unsubscribe(token: str) -> tuple[int, str]:
    value = _load(token, UNSUBSCRIBE_SALT)
    if not isinstance(value, dict) or not isinstance(value.get("r"), int):
        raise BadLink
    return value["r"], str(value.get("k", ALL_KINDS))


def read_decision(token: str) -> int:
    value = _load(token, DECISION_SALT)
    if not isinstance(value, int):
        raise BadLink
    return value
