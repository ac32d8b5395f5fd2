"""Which language a reader page speaks.

The reader's own choice (the switch's cookie) first; on an article page, then the
article's language when the site speaks it; otherwise the browser's Accept-Language,
as LocaleMiddleware found it.
"""

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation

from articles.models import Article


def _supported(code: str) -> str | None:
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return None


def mail_language(code: str) -> str:
    """The site language closest to `code`, else the site's default: what a mail speaks."""
    return _supported(code or "") or settings.LANGUAGE_CODE


def article_language(article: Article) -> str:
    """The site language closest to the article's, else the site's default (emails)."""
    return mail_language(getattr(article, "language", "") or "")


def activate_article_language(request: HttpRequest, article: Article) -> None:
    """Speak the article's language on its page, unless the reader chose another."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen and _supported(chosen):
        return
    language = _supported(getattr(article, "language", "") or "")
    if language is None:
        return
    translation.activate(language)
    request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
