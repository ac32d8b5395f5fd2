"""Lookups the API views of both apps share."""

import time

from django.conf import settings
from django.http import Http404

from articles.models import Article
from articles.selectors import article_get_published


def published_article_or_404(slug: str) -> Article:
    try:
        return article_get_published(slug=slug)
    except Article.DoesNotExist:
        raise Http404("No such article.") from None


# slug → (when it was read, the article), per process, for the comment form's POSTs.
_RECENT: dict[str, tuple[float, Article]] = {}
_RECENT_MAX = 10_000


def published_article_recent_or_404(slug: str) -> Article:
    """published_article_or_404, remembered for ARTICLE_LOOKUP_CACHE_SECONDS per process.

    The comment POST's one read besides its write, 10-20% of its time in a profile. The
    cost: an article archived, closed or changed is seen by each process up to that many
    seconds late (0 turns the memory off). The article is shared: read it, never change it.
    """
    seconds = settings.ARTICLE_LOOKUP_CACHE_SECONDS
    if seconds <= 0:
        return published_article_or_404(slug)
    now = time.monotonic()
    found = _RECENT.get(slug)
    if found is not None and now - found[0] < seconds:
        return found[1]
    article = published_article_or_404(slug)
    if len(_RECENT) >= _RECENT_MAX:
        _RECENT.clear()
    _RECENT[slug] = (now, article)
    return article
