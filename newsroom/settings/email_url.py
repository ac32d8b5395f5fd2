"""EMAIL_URL: the mail backend and its server in one variable.

    smtp://user:password@mail.example.com:587   (smtp+tls:// for STARTTLS, smtps:// for TLS)
    file:///srv/newsroom/var/mail                (one file per message)
    console://   locmem://   dummy://
    anymail+postmark://   (any django-anymail ESP, installed separately; its keys from
                          ANYMAIL_* variables: ANYMAIL_POSTMARK_SERVER_TOKEN=...)

Parsed here rather than with dj-email-url, whose last release was in 2022: the format
is a few lines of urllib, and a scheme we do not know fails loudly at start-up.
"""

import os
from collections.abc import Mapping
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_SIMPLE = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
    "dummy": "django.core.mail.backends.dummy.EmailBackend",
}
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


def email_settings(url: str, environ: Mapping[str, str] | None = None) -> dict[str, object]:
    """The Django EMAIL_* settings an EMAIL_URL stands for (and ANYMAIL, gathered from
    the ANYMAIL_* variables of `environ`, for a provider's keys)."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in _SIMPLE:
        return {"EMAIL_BACKEND": _SIMPLE[scheme]}
    if scheme == "file":
        if not parts.path:
            raise ImproperlyConfigured("EMAIL_URL=file:// needs a folder: file:///srv/mail")
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": unquote(parts.path),
        }
    if scheme.startswith("anymail+"):
        esp = scheme.removeprefix("anymail+")
        keys = {
            name.removeprefix("ANYMAIL_"): value
            for name, value in (os.environ if environ is None else environ).items()
            if name.startswith("ANYMAIL_")
        }
        return {"EMAIL_BACKEND": f"anymail.backends.{esp}.EmailBackend", "ANYMAIL": keys}
    if scheme in ("smtp", "smtp+tls", "smtps"):
        try:
            port = parts.port
        except ValueError:
            raise ImproperlyConfigured(f"EMAIL_URL has a malformed port: {url!r}") from None
        return {
            "EMAIL_BACKEND": SMTP_BACKEND,
            "EMAIL_HOST": parts.hostname or "localhost",
            "EMAIL_PORT": port or {"smtp": 25, "smtp+tls": 587, "smtps": 465}[scheme],
            "EMAIL_HOST_USER": unquote(parts.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
            "EMAIL_USE_TLS": scheme == "smtp+tls",
            "EMAIL_USE_SSL": scheme == "smtps",
        }
    raise ImproperlyConfigured(
        f"EMAIL_URL scheme {parts.scheme!r} is not one of smtp, smtp+tls, smtps, file, "
        "console, locmem, dummy, anymail+<esp>."
    )
