"""Sites own articles and readers; an article's external id is unique within its site."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from articles.models import Article, Reader, Section, Site, normalise_origin


def _article(site, external_id, slug):
    return Article.objects.create(
        site=site,
        external_id=external_id,
        slug=slug,
        title="Title",
        body="Body.",
        section=Section.objects.named("Kyiv"),
        author="Desk",
    )


@pytest.mark.django_db
def test_an_article_made_without_a_site_belongs_to_the_default_site(article):
    assert article.site == Site.objects.default()
    assert article.site.slug == "default"
    assert Site.objects.count() == 1


@pytest.mark.django_db
def test_an_external_id_is_unique_per_site_but_may_repeat_across_sites():
    other = Site.objects.create(name="Other paper", slug="other")
    _article(Site.objects.default(), "cms-1", "a")
    _article(other, "cms-1", "b")
    # Articles written in our own admin have no external id: any number of them.
    _article(other, "", "c")
    _article(other, "", "d")
    with pytest.raises(IntegrityError), transaction.atomic():
        _article(other, "cms-1", "e")


@pytest.mark.django_db
def test_a_reader_is_unique_per_site_by_their_publishers_id():
    site = Site.objects.default()
    signed_in = Reader.objects.create(site=site, sso_subject="u-1", display_name="Olena")
    anonymous = Reader.objects.create(site=site, display_name="Guest")
    assert signed_in.is_verified and not anonymous.is_verified
    Reader.objects.create(
        site=Site.objects.create(name="B", slug="b"), sso_subject="u-1", display_name="O"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Reader.objects.create(site=site, sso_subject="u-1", display_name="Olena again")


@pytest.mark.parametrize(
    ("given", "origin"),
    [
        ("https://www.example.com", "https://www.example.com"),
        ("HTTPS://WWW.Example.com/", "https://www.example.com"),
        ("http://localhost:8001", "http://localhost:8001"),
        ("https://example.com/path", ""),
        ("https://user@example.com", ""),
        ("ftp://example.com", ""),
        ("example.com", ""),
        ("https://example.com:99999", ""),
    ],
)
def test_origins_are_scheme_host_and_port_only(given, origin):
    assert normalise_origin(given) == origin


@pytest.mark.django_db
def test_a_site_allows_only_the_origins_it_lists():
    site = Site(name="Paper", slug="paper", allowed_origins=["https://www.example.com"])
    site.full_clean()
    assert site.allows_origin("https://www.example.com")
    assert site.allows_origin("https://WWW.EXAMPLE.COM")
    assert not site.allows_origin("https://evil.example.com")
    assert not site.allows_origin("")
    site.allowed_origins = ["https://www.example.com/comments"]
    with pytest.raises(ValidationError, match="Not an origin"):
        site.full_clean()
