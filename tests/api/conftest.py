"""API fixtures: clients signed in as each of the named people, and a clean throttle cache."""

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from articles.models import Article, CorrectionRequest, Section
from tests.mail_readers import subscribe


@pytest.fixture(autouse=True)
def _fresh_throttles():
    # Throttle counters live in the cache; each test starts with none.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def anon_client() -> APIClient:
    return APIClient()


def _token_client(user) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def reader_client(stranger) -> APIClient:
    return _token_client(stranger)


@pytest.fixture
def moderator_client(moderator) -> APIClient:
    return _token_client(moderator)


@pytest.fixture
def editor_client(editor) -> APIClient:
    return _token_client(editor)


@pytest.fixture
def make_correction_request(article):
    def make(**fields) -> CorrectionRequest:
        fields.setdefault("article", article)
        fields.setdefault("article_updated_at", fields["article"].updated_at)
        fields.setdefault("suggestion", "The repairs took nine months, not eight.")
        return subscribe(CorrectionRequest.objects.create(**fields))

    return make


@pytest.fixture
def other_article(db) -> Article:
    return Article.objects.create(
        slug="budget-vote",
        title="Council votes on the budget",
        body="The council met.\n\nIt voted.",
        section=Section.objects.named("Politics"),
        author="Taras Melnyk",
    )
