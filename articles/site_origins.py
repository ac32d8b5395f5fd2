"""Which site a cross-origin caller belongs to: the one rule for CORS and the embed.

A browser names the page that calls us in the Origin header; a site lists the origins
of its pages (`Site.allowed_origins`). The API's public endpoints answer CORS only to
origins some site lists, and the embed's calls act only for the site that lists them.
"""

import re

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _

from articles.models import Site

# The public endpoints a host page may call; everything else (the desk, the admin, the
# CMS calls) never answers another origin.
CORS_PATHS = re.compile(settings.CORS_URLS_REGEX)


class OriginRefused(Exception):
    """The calling page's origin may not act here; `str()` says why."""


def request_origin(request: HttpRequest) -> str:
    return request.headers.get("Origin", "")


def _own_origin(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}"


def is_cross_origin(request: HttpRequest) -> bool:
    """A browser call from another site's page (a same-origin POST carries Origin too)."""
    origin = request_origin(request)
    return bool(origin) and origin != _own_origin(request)


def origin_is_listed(origin: str) -> bool:
    return bool(origin) and any(site.allows_origin(origin) for site in Site.objects.all())


def cors_allowed(sender: object, request: HttpRequest, **kwargs: object) -> bool:
    """django-cors-headers asks this for each request: a public path and a listed origin."""
    return bool(CORS_PATHS.match(request.path_info)) and origin_is_listed(request_origin(request))


def site_for_origin(request: HttpRequest, slug: str = "") -> Site:
    """The site the calling page belongs to: named by `slug`, or the one listing its origin."""
    origin = request_origin(request)
    if not origin:
        raise OriginRefused(_("Call this from a web page: the request names no Origin."))
    if slug:
        site = Site.objects.filter(slug=slug).first()
        if site is None or not site.allows_origin(origin):
            raise OriginRefused(_("No site “%(slug)s” lists this page's origin.") % {"slug": slug})
        return site
    sites = [site for site in Site.objects.all() if site.allows_origin(origin)]
    if not sites:
        raise OriginRefused(_("No site lists this page's origin, %(origin)s.") % {"origin": origin})
    if len(sites) > 1:
        raise OriginRefused(
            _("Several sites list this origin; name one with data-site on the comments element.")
        )
    return sites[0]


def check_site_origin(request: HttpRequest, site: Site) -> None:
    """A write from another site's page must come from one of this site's origins."""
    if is_cross_origin(request) and not site.allows_origin(request_origin(request)):
        raise OriginRefused(_("This site does not list the page's origin."))
