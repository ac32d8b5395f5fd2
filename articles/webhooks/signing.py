"""The signature on every webhook, Stripe-style: a timestamp and an HMAC-SHA256 of
"timestamp.body" under the endpoint's secret, in one header. The timestamp in the
signed text lets a receiver refuse a replayed delivery."""

import hashlib
import hmac
import time

SIGNATURE_HEADER = "Newsroom-Signature"
# How old a delivery a receiver should still accept (verify_signature's default).
TOLERANCE_SECONDS = 300


class SignatureError(ValueError):
    """The header is missing, malformed, stale, or does not match the body."""


def _digest(secret: str, timestamp: int, body: bytes) -> str:
    signed = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def signature_header(secret: str, body: bytes, *, timestamp: int | None = None) -> str:
    """The header value for `body`: ``t=<unix seconds>,v1=<hex HMAC-SHA256>``."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    return f"t={timestamp},v1={_digest(secret, timestamp, body)}"


def verify_signature(
    secret: str, header: str, body: bytes, *, tolerance: int = TOLERANCE_SECONDS
) -> None:
    """What a receiver does (and the README shows): raise SignatureError unless the
    header signs this body with this secret, within `tolerance` seconds of now."""
    parts = dict(item.split("=", 1) for item in header.split(",") if "=" in item)
    try:
        timestamp = int(parts["t"])
        given = parts["v1"]
    except (KeyError, ValueError):
        raise SignatureError("Malformed signature header.") from None
    if abs(time.time() - timestamp) > tolerance:
        raise SignatureError("The delivery is too old (or the clocks disagree).")
    if not hmac.compare_digest(given, _digest(secret, timestamp, body)):
        raise SignatureError("The signature does not match the body.")
