"""A publisher's site with its own pages' origin and sign-in secret, and its article."""

import pytest
from django.core.cache import cache

from articles.models import Article, Site
from articles.sso import sign_reader_token

COURIER_ORIGIN = "https://courier.example"
STRANGER_ORIGIN = "https://elsewhere.example"
COURIER_SECRET = "courier-sso-secret-" + "s" * 32


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def courier(db) -> Site:
    site = Site.objects.default()
    site.name = "The Riverside Courier"
    site.allowed_origins = [COURIER_ORIGIN]
    site.sso_secret = COURIER_SECRET
    site.save()
    return site


@pytest.fixture
def gazette(db) -> Site:
    return Site.objects.create(
        name="The Hill Gazette",
        slug="gazette",
        allowed_origins=["https://gazette.example"],
        sso_secret="gazette-sso-secret-" + "g" * 32,
    )


@pytest.fixture
def embedded(article: Article, courier: Site) -> Article:
    article.site = courier
    article.external_id = "cms-1001"
    article.url = f"{COURIER_ORIGIN}/2026/11/metro-bridge"
    article.save()
    return article


@pytest.fixture
def olena_token(courier: Site) -> str:
    return sign_reader_token(
        site=courier, subject="u-42", name="Olena Marchuk", email="olena@example.org"
    )


def from_page(origin: str = COURIER_ORIGIN, token: str = "") -> dict[str, str]:
    """The headers a host page's script sends (the browser adds Origin)."""
    headers = {"HTTP_ORIGIN": origin}
    if token:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return headers
