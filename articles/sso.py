"""Readers signed in by the publisher: check the token a site signed for its reader.

The publisher signs a short-lived HS256 JWT with its site's `sso_secret`: `iss` is the
site's slug, `aud` is SSO_AUDIENCE, `sub` a stable id of its reader, `name`, `email`,
optionally `avatar`, and `exp`. Only HS256 is accepted (never "none", never a key the
token names), and every failure is one `SignInRefused` carrying the reason readers see.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

import jwt
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.translation import gettext as _

SSO_AUDIENCE = "newsroom-comments"
ALGORITHMS = ["HS256"]
# A sign-in token is a ticket for one page view, not a session: anything that lives
# longer than this was not meant for us.
MAX_LIFETIME = timedelta(days=1)
# Larger than any honest token (a few hundred bytes); refused before it is parsed.
MAX_TOKEN_LENGTH = 4096
SUBJECT_MAX_LENGTH = 255


class SignedSite(Protocol):
    slug: str
    sso_secret: str


class SignInRefused(Exception):
    """The token cannot sign anyone in; `str()` is the reason, fit to show the reader."""


@dataclass(frozen=True)
class ReaderClaims:
    subject: str
    name: str
    email: str
    avatar_url: str


def _claim(payload: dict[str, Any], name: str) -> str:
    value = payload.get(name, "")
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise SignInRefused(_("The sign-in token's “%(claim)s” is not text.") % {"claim": name})
    return str(value).strip()


def reader_claims(*, site: SignedSite, token: str) -> ReaderClaims:
    """Who the site says the reader is, or SignInRefused with why not."""
    if not site.sso_secret:
        raise SignInRefused(_("This site does not sign readers in."))
    if len(token) > MAX_TOKEN_LENGTH:
        raise SignInRefused(_("The sign-in token is too long."))
    try:
        issuer = jwt.decode(token, options={"verify_signature": False}).get("iss")
    except jwt.PyJWTError:
        raise SignInRefused(_("The sign-in token is malformed.")) from None
    if issuer != site.slug:
        raise SignInRefused(_("The sign-in token was issued for another site."))
    try:
        payload = jwt.decode(
            token,
            site.sso_secret,
            algorithms=ALGORITHMS,
            audience=SSO_AUDIENCE,
            issuer=site.slug,
            options={"require": ["exp", "iss", "aud", "sub"]},
        )
    except jwt.ExpiredSignatureError:
        raise SignInRefused(
            _("Your sign-in has expired. Reload the page to sign in again.")
        ) from None
    except jwt.InvalidSignatureError:
        raise SignInRefused(_("The sign-in token's signature does not match this site.")) from None
    except jwt.InvalidAudienceError:
        raise SignInRefused(_("The sign-in token was not made for these comments.")) from None
    except jwt.MissingRequiredClaimError as error:
        raise SignInRefused(
            _("The sign-in token has no “%(claim)s”.") % {"claim": error.claim}
        ) from None
    except jwt.PyJWTError:
        raise SignInRefused(_("The sign-in token is not valid.")) from None
    if datetime.fromtimestamp(payload["exp"], tz=UTC) - datetime.now(tz=UTC) > MAX_LIFETIME:
        raise SignInRefused(_("The sign-in token lives too long; sign tokens for minutes."))
    subject = _claim(payload, "sub")
    if not subject or len(subject) > SUBJECT_MAX_LENGTH:
        raise SignInRefused(_("The sign-in token's “sub” must be 1 to 255 characters."))
    name = _claim(payload, "name")
    if not name:
        raise SignInRefused(_("The sign-in token has no “name”."))
    email = _claim(payload, "email").lower()
    avatar_url = _claim(payload, "avatar")
    try:
        if email:
            validate_email(email)
        if avatar_url:
            URLValidator(schemes=["https", "http"])(avatar_url)
    except ValidationError:
        raise SignInRefused(_("The sign-in token's email or avatar is not valid.")) from None
    return ReaderClaims(subject=subject, name=name, email=email, avatar_url=avatar_url)


def sign_reader_token(
    *,
    site: SignedSite,
    subject: str,
    name: str,
    email: str = "",
    avatar_url: str = "",
    lifetime: timedelta = timedelta(minutes=10),
) -> str:
    """A token as a publisher makes one: for `make run`'s demo page and the tests."""
    payload: dict[str, Any] = {
        "iss": site.slug,
        "aud": SSO_AUDIENCE,
        "sub": subject,
        "name": name,
        "email": email,
        "exp": datetime.now(tz=UTC) + lifetime,
    }
    if avatar_url:
        payload["avatar"] = avatar_url
    return jwt.encode(payload, site.sso_secret, algorithm=ALGORITHMS[0])
