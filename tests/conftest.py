"""Shared fixtures: an article, and three named people (a moderator, an editor, a stranger)."""

import itertools
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone, translation

from articles.models import Article, Section
from moderation import comment_list_cache
from moderation.models import Comment
from moderation.roles import EDITORS, MODERATORS, ensure_role


@pytest.fixture
def article(db) -> Article:
    return Article.objects.create(
        slug="metro-bridge-reopens",
        title="Metro bridge reopens after repairs",
        standfirst="Trains cross the Dnipro again.",
        body="The bridge reopened on Monday.\n\nRepairs took eight months.\n\nThe mayor attended.",
        section=Section.objects.named("Kyiv"),
        author="Iryna Kovalenko",
    )


def _user(username: str, group: str | None) -> User:
    user = User.objects.create_user(
        username=username, password="pw-" + username, is_staff=bool(group)
    )
    if group:
        user.groups.add(ensure_role(group))
    return user


@pytest.fixture
def moderator(db) -> User:
    return _user("alice", MODERATORS)


@pytest.fixture
def editor(db) -> User:
    return _user("bob", EDITORS)


@pytest.fixture
def stranger(db) -> User:
    return _user("charlie", None)


@pytest.fixture
def make_comment(article):
    """Create a comment directly in a given state (for tests of reads and decisions)."""

    def make(body: str = "A fair point about the repairs.", **fields) -> Comment:
        fields.setdefault("article", article)
        fields.setdefault("author_name", "Oksana")
        return Comment.objects.create(body=body, **fields)

    return make


@pytest.fixture
def commenter_history(make_comment, moderator):
    """Earlier comments of one email, oldest first, in the given statuses: each decided
    by the moderator, or left as the model set it (`by_model`)."""
    posted = itertools.count()

    def make(email: str, *statuses: str, by_model: bool = False) -> None:
        for status in statuses:
            n = next(posted)
            decided = {} if by_model else {"decided_at": timezone.now(), "decided_by": moderator}
            make_comment(
                f"Earlier comment {n} on the repairs.",
                author_email=email,
                status=status,
                created_at=timezone.now() - timedelta(days=30, minutes=-n),
                **decided,
            )

    return make


@pytest.fixture
def confirmed_address(db):
    """An address whose reader has already confirmed it (the double opt-in done)."""
    from moderation.models import MailRecipient

    def confirm(email: str) -> MailRecipient:
        recipient, _ = MailRecipient.objects.update_or_create(
            email=email, defaults={"confirmed_at": timezone.now()}
        )
        return recipient

    return confirm


@pytest.fixture
def flaky_mail(settings):
    from tests.mail_readers import FlakyMailServer

    settings.EMAIL_BACKEND = "tests.mail_readers.FlakyMailServer"

    def fail(times: int) -> None:
        FlakyMailServer.failures = times

    yield fail
    FlakyMailServer.failures = 0


@pytest.fixture(autouse=True)
def _fresh_comment_list_memory():
    # The cached comment list remembers article ids per process, and a test database
    # reuses ids: each test's first request for a list renders it afresh.
    comment_list_cache.forget_articles()


@pytest.fixture(autouse=True)
def _default_language():
    # A request in Ukrainian leaves Ukrainian active in the thread: the next test starts
    # in the site's default language, as a fresh worker would.
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _no_fitted_thresholds_from_earlier_tests():
    # The policy keeps the fitted thresholds in the cache for a minute: a test that
    # fitted some must not hand them to the next.
    from django.core.cache import cache

    from moderation.calibration.selectors import CACHE_KEY

    cache.delete(CACHE_KEY)


@pytest.fixture(autouse=True)
def _scoring_not_wanted_by_earlier_tests():
    # With a shared cache (make test-services) the coalesced hand-off's flag outlives a
    # test whose run never came (SCORING_WANTED_SECONDS): the next test's comment would
    # find it up and publish nothing.
    from moderation.scoring_wanted import scoring_wanted_clear

    scoring_wanted_clear()
