"""Which site a cross-origin caller belongs to: the one rule for CORS and the embed.

A browser names the page that calls us in the Origin header; a site lists the origins
of its pages (`Site.allowed_origins`). The API's public endpoints answer CORS only to
origins some site lists, and the embed's calls act only for the site that lists them.
"""

import re

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from articles.models import Site, normalise_origin

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


# Every public call from a page asks which sites list its origin: the answer comes from
# the shared cache (one round trip) rather than from every site's row (a query that cost
# 5-18 ms on a busy machine beside a cached page's 1 ms: docs/benchmarks.md). Saving or
# deleting a site forgets it once committed; the timeout is a safety net for writes
# that bypass the model (a queryset update).
ORIGINS_CACHE_KEY = "site_origins:v1"
ORIGINS_CACHE_SECONDS = 300


def _listing_sites() -> dict[str, list[int]]:
    """Each listed origin and the ids of the sites that list it."""
    listing = cache.get(ORIGINS_CACHE_KEY)
    if listing is None:
        listing = {}
        for pk, origins in Site.objects.values_list("pk", "allowed_origins"):
            for origin in origins if isinstance(origins, list) else []:
                listing.setdefault(origin, []).append(pk)
        cache.set(ORIGINS_CACHE_KEY, listing, ORIGINS_CACHE_SECONDS)
    return listing


def forget_site_origins(**kwargs: object) -> None:
    """Connected to Site's post_save and post_delete: the next call reads the rows again.

    Now, for this process's next read, and once committed, for a read that raced the
    transaction and cached the rows as they were before it.
    """
    cache.delete(ORIGINS_CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(ORIGINS_CACHE_KEY))


def sites_listing(origin: str) -> list[int]:
    return _listing_sites().get(normalise_origin(origin), []) if origin else []


def origin_is_listed(origin: str) -> bool:
    return bool(sites_listing(origin))


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
    sites = list(Site.objects.filter(pk__in=sites_listing(origin)))
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
