"""Who sent a request: the one answer the rate limits, the stored IPs and the logs share.

Configured by TRUSTED_PROXY_COUNT, the number of proxies in front of the service that
each append the address they saw to X-Forwarded-For (nginx alone: 1; a load balancer and
then nginx: 2). A count, not a list of trusted proxy networks: how many hops stand in
front is a fact of the deployment that stays put, while a cloud load balancer's own
addresses change under it and a list kept by hand would silently go stale.

With N trusted proxies, REMOTE_ADDR is the last proxy and the client is the N-th address
from the right of X-Forwarded-For: everything to the left of it was written by the client
and is ignored. With 0, X-Forwarded-For is ignored altogether. A header too short for N
(the request skipped a proxy) or whose entry is not an IP address falls back to
REMOTE_ADDR, the one address nobody can forge.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest
from rest_framework.request import Request


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_address(request: HttpRequest | Request) -> str | None:
    """The client's IP address as the trusted proxies saw it; None if there is none."""
    meta = request.META
    remote = _valid_ip(meta.get("REMOTE_ADDR") or "")
    trusted: int = settings.TRUSTED_PROXY_COUNT
    forwarded = meta.get("HTTP_X_FORWARDED_FOR") or ""
    if trusted <= 0 or not forwarded:
        return remote
    # Several X-Forwarded-For headers arrive joined by commas, in order.
    hops = forwarded.split(",")
    if len(hops) < trusted:
        return remote
    return _valid_ip(hops[-trusted]) or remote
