import hashlib
import hmac
import time

import pytest

from articles.webhooks.signing import SignatureError, signature_header, verify_signature


def test_it_signs_timestamp_dot_body_with_hmac_sha256() -> None:
    header = signature_header("s3cret", b'{"a":1}', timestamp=1700000000)
    expected = hmac.new(b"s3cret", b'1700000000.{"a":1}', hashlib.sha256).hexdigest()
    assert header == f"t=1700000000,v1={expected}"


def test_a_receiver_accepts_a_fresh_signature() -> None:
    verify_signature("s3cret", signature_header("s3cret", b"body"), b"body")


@pytest.mark.parametrize(
    ("secret", "body", "age"),
    [("other", b"body", 0), ("s3cret", b"changed", 0), ("s3cret", b"body", 3600)],
)
def test_a_receiver_refuses_wrong_secret_changed_body_or_old_delivery(
    secret: str, body: bytes, age: int
) -> None:
    header = signature_header("s3cret", b"body", timestamp=int(time.time()) - age)
    with pytest.raises(SignatureError):
        verify_signature(secret, header, body)


def test_a_malformed_header_is_refused() -> None:
    with pytest.raises(SignatureError, match="Malformed"):
        verify_signature("s3cret", "sha256=abc", b"body")
