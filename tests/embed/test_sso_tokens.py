"""A publisher's sign-in token: what it must say, and every way it is refused."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt
import pytest

from articles.sso import SSO_AUDIENCE, SignInRefused, reader_claims, sign_reader_token


@dataclass
class FakeSite:
    slug: str
    sso_secret: str


COURIER = FakeSite(slug="courier", sso_secret="courier-secret-" + "x" * 64)
GAZETTE = FakeSite(slug="gazette", sso_secret="gazette-secret-" + "y" * 32)


def _token(site=COURIER, secret=None, **claims):
    payload = {
        "iss": site.slug,
        "aud": SSO_AUDIENCE,
        "sub": "reader-42",
        "name": "Olena",
        "email": "Olena@Example.org",
        "exp": datetime.now(tz=UTC) + timedelta(minutes=5),
    } | claims
    payload = {k: v for k, v in payload.items() if v is not None}
    return jwt.encode(payload, secret or site.sso_secret, algorithm="HS256")


def test_it_reads_who_the_site_says_the_reader_is():
    claims = reader_claims(site=COURIER, token=_token(avatar="https://courier.example/a.png"))
    assert (claims.subject, claims.name, claims.email, claims.avatar_url) == (
        "reader-42",
        "Olena",
        "olena@example.org",
        "https://courier.example/a.png",
    )


def test_a_token_signed_by_its_helper_is_accepted():
    token = sign_reader_token(site=COURIER, subject="7", name="Taras")
    assert reader_claims(site=COURIER, token=token).subject == "7"


def _in(minutes: int) -> datetime:
    return datetime.now(tz=UTC) + timedelta(minutes=minutes)


# Claims, not tokens: a token made at collection would expire before a long run got here.
@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: _token(exp=_in(-1)), "expired"),
        (lambda: _token(site=GAZETTE), "issued for another site"),
        (lambda: _token(secret="a-guess-at-the-secret-" + "z" * 64), "signature does not match"),
        (lambda: _token(aud="another-service"), "not made for these comments"),
        (lambda: _token(exp=None), "no “exp”"),
        (lambda: _token(sub=None), "no “sub”"),
        (lambda: _token(name=""), "no “name”"),
        (lambda: _token(email="not an address"), "email or avatar is not valid"),
        (lambda: _token(avatar="javascript:alert(1)"), "email or avatar is not valid"),
        (lambda: _token(exp=_in(30 * 24 * 60)), "lives too long"),
        (lambda: "not.a.token", "malformed"),
        (lambda: "x" * 5000, "too long"),
    ],
)
def test_it_refuses_a_token_with_a_clear_reason(make, message):
    with pytest.raises(SignInRefused, match=message):
        reader_claims(site=COURIER, token=make())


def test_it_refuses_a_tampered_payload():
    header, payload, signature = _token().split(".")
    forged = jwt.utils.base64url_encode(
        jwt.utils.base64url_decode(payload).replace(b"reader-42", b"reader-43")
    ).decode()
    with pytest.raises(SignInRefused, match="signature does not match"):
        reader_claims(site=COURIER, token=f"{header}.{forged}.{signature}")


def test_it_refuses_unsigned_and_other_algorithms():
    unsigned = jwt.encode(
        {"iss": "courier", "aud": SSO_AUDIENCE, "sub": "1", "name": "A", "exp": 2**31},
        key=None,
        algorithm="none",
    )
    with pytest.raises(SignInRefused, match="not valid"):
        reader_claims(site=COURIER, token=unsigned)
    hs512 = jwt.encode(
        {"iss": "courier", "aud": SSO_AUDIENCE, "sub": "1", "name": "A", "exp": 2**31},
        COURIER.sso_secret,
        algorithm="HS512",
    )
    with pytest.raises(SignInRefused, match="not valid"):
        reader_claims(site=COURIER, token=hs512)


def test_a_site_without_a_secret_signs_nobody_in():
    with pytest.raises(SignInRefused, match="does not sign readers in"):
        reader_claims(site=FakeSite(slug="courier", sso_secret=""), token=_token())
