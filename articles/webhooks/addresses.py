"""Where a webhook may go: https URLs of public hosts only.

The host is resolved and every address checked, and the delivery then connects to the
checked address itself (see delivery.py): a name that resolves to a public address
when saved and to 127.0.0.1 when sent (DNS rebinding) still reaches no private host.
Outside DEBUG nothing on loopback, private, link-local (cloud metadata), multicast or
reserved ranges is ever contacted; WEBHOOKS_ALLOW_LOCAL (DEBUG by default) opens http
and local hosts for development.
"""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

URL_MAX_LENGTH = 500


class UnsafeUrl(ValueError):
    """The URL may not receive webhooks; the message says why, for the editor."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str
    addresses: tuple[str, ...]


def allow_local() -> bool:
    return bool(settings.WEBHOOKS_ALLOW_LOCAL)


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def check_url(url: str) -> tuple[str, str, int, str]:
    """The URL's scheme, host, port and path, or UnsafeUrl. No network access."""
    if len(url) > URL_MAX_LENGTH:
        raise UnsafeUrl(f"At most {URL_MAX_LENGTH} characters.")
    parts = urlsplit(url)
    schemes = ("https", "http") if allow_local() else ("https",)
    if parts.scheme not in schemes:
        raise UnsafeUrl("Webhooks go to https URLs only.")
    if not parts.hostname or parts.username or parts.password:
        raise UnsafeUrl("Give a host name, without a user name or password.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise UnsafeUrl("The port is not a number between 0 and 65535.") from None
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return parts.scheme, parts.hostname, port, path


def resolve_target(url: str) -> Target:
    """Check the URL and resolve its host; UnsafeUrl if any address is not public."""
    scheme, host, port, path = check_url(url)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise UnsafeUrl(f"The host {host} does not resolve.") from None
    addresses = tuple(dict.fromkeys(str(info[4][0]) for info in infos))
    if not allow_local():
        private = [a for a in addresses if not is_public(a)]
        if private:
            raise UnsafeUrl(f"{host} resolves to a private or local address ({private[0]}).")
    return Target(scheme=scheme, host=host, port=port, path=path, addresses=addresses)
