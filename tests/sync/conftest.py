"""Sync fixtures: a site whose CMS account ("cms") holds a token, and its client."""

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from articles.models import Site
from moderation.roles import PUBLISHERS, ensure_role


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def site(db) -> Site:
    return Site.objects.create(name="Daily Example", slug="daily-example")


@pytest.fixture
def publisher(site) -> User:
    user = User.objects.create_user(username="cms", password="pw-cms")
    user.groups.add(ensure_role(PUBLISHERS))
    site.publishers.add(user)
    return user


def token_client(user: User) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def cms(publisher) -> APIClient:
    return token_client(publisher)
