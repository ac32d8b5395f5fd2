"""A CMS sending the same new article twice at once (a retry, two hooks): one article.

Needs PostgreSQL (locks between connections); runs where DATABASE_URL points at it.
"""

import os

import pytest

from articles.models import Article
from articles.services import article_upsert
from tests.moderation.racing import race

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
        reason="locks between connections need PostgreSQL",
    ),
    pytest.mark.django_db(transaction=True),
]


def test_two_creations_of_one_article_at_once_make_one_article(site):
    def put(title: str) -> object:
        return article_upsert(site=site, external_id="cms-801", title=title, body="Text.")

    outcomes = race(lambda: put("First title"), lambda: put("Second title"), ())
    assert outcomes == {"first": "done", "second": "done"}
    article = Article.objects.get(site=site, external_id="cms-801")
    # The second found the first's article and updated it.
    assert article.title == "Second title"
