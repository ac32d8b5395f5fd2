"""One POST to a checked address: the connection goes to the IP address that
addresses.resolve_target approved, with the host name kept for TLS (SNI and the
certificate check) and the Host header, so nothing re-resolves the name in between."""

from dataclasses import dataclass

import urllib3

from articles.webhooks.addresses import resolve_target

# What a receiver's answer may cost us: a short timeout, no redirects, a small read.
CONNECT_TIMEOUT = 3.0
READ_TIMEOUT = 5.0
RESPONSE_KEPT = 500


class DeliveryFailed(Exception):
    """The endpoint could not be reached, or did not answer in time."""


@dataclass(frozen=True)
class Answer:
    status: int
    body: str


def post(url: str, body: bytes, headers: dict[str, str]) -> Answer:
    """POST `body` to `url`; raises UnsafeUrl (never retried) or DeliveryFailed."""
    target = resolve_target(url)
    timeout = urllib3.Timeout(connect=CONNECT_TIMEOUT, read=READ_TIMEOUT)
    host_header = target.host if target.port in (80, 443) else f"{target.host}:{target.port}"
    pool: urllib3.HTTPConnectionPool
    if target.scheme == "https":
        # Connect to the checked address; verify the certificate against the name.
        pool = urllib3.HTTPSConnectionPool(
            target.addresses[0],
            port=target.port,
            timeout=timeout,
            retries=False,
            assert_hostname=target.host,
            server_hostname=target.host,
        )
    else:
        pool = urllib3.HTTPConnectionPool(
            target.addresses[0], port=target.port, timeout=timeout, retries=False
        )
    try:
        response = pool.urlopen(
            "POST",
            target.path,
            body=body,
            headers={**headers, "Host": host_header},
            redirect=False,
            preload_content=False,
        )
        try:
            text = response.read(RESPONSE_KEPT, decode_content=True)
        finally:
            response.release_conn()
    except urllib3.exceptions.HTTPError as error:
        raise DeliveryFailed(str(error) or type(error).__name__) from None
    finally:
        pool.close()
    return Answer(status=response.status, body=text.decode("utf-8", "replace"))
