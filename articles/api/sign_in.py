"""Who is writing, for the public endpoints a host page calls: the reader a site signed
in (a Bearer token, see articles.sso), or nobody where the site allows anonymous readers.

Shared by the comment, report and correction-request endpoints of both apps, so the
rule about tokens, origins and anonymous readers is spelled once.
"""

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse
from rest_framework.exceptions import APIException, PermissionDenied
from rest_framework.request import Request

from articles.models import Reader, Site
from articles.services import reader_sign_in
from articles.site_origins import OriginRefused, check_site_origin
from articles.sso import SignInRefused, reader_claims
from moderation.models import COMMENT_NAME_MAX_LENGTH
from newsroom.api.errors import ErrorSerializer

# How the public writes describe these answers in the OpenAPI schema.
SIGN_IN_ERRORS = {
    401: OpenApiResponse(
        response=ErrorSerializer,
        description=(
            "The `Authorization: Bearer` sign-in token is expired, tampered with or another "
            "site's (`detail` says which), or the site wants signed-in readers and none was sent."
        ),
    ),
    403: OpenApiResponse(
        response=ErrorSerializer,
        description="The calling page's origin is not one of the article's site's.",
    ),
}


class SignInFailed(APIException):
    """401 with the reason: DRF's own NotAuthenticated would turn into 403 here, where
    no authentication class names a WWW-Authenticate scheme."""

    status_code = 401
    default_code = "sign_in_failed"
    default_detail = "Sign in to do this."


def bearer_token(request: Request) -> str:
    scheme, _sep, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def request_reader(
    request: Request, site: Site, *, anonymous_allowed: bool = True
) -> Reader | None:
    """The signed-in reader (made or brought up to date), None for an anonymous one.

    Checked before anything is saved: a page the site does not list is a 403, a token
    that is expired, tampered with or another site's a 401, and so is no token where
    the site wants signed-in readers.
    """
    try:
        check_site_origin(request, site)
    except OriginRefused as error:
        raise PermissionDenied(str(error)) from None
    token = bearer_token(request)
    if not token:
        if anonymous_allowed:
            return None
        raise SignInFailed(_("This site asks readers to sign in before they comment."))
    try:
        claims = reader_claims(site=site, token=token)
    except SignInRefused as error:
        raise SignInFailed(str(error)) from None
    return reader_sign_in(site=site, claims=claims)


def as_reader(data: Any, reader: Reader | None) -> Any:
    """A comment's input with the signed-in reader's name and email in place of typed ones."""
    if reader is None or not isinstance(data, dict):
        return data
    return {
        **data,
        "author_name": reader.display_name[:COMMENT_NAME_MAX_LENGTH],
        "author_email": reader.email,
    }
