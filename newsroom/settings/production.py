"""Production: refuses to start without a secret key, hosts, a database and a shared cache.

`manage.py check --deploy` is clean with these settings (tested). Logs are JSON lines;
throttles count in the shared cache (Redis at CACHE_URL): with a per-process cache each
gunicorn worker would grant its own allowance.
"""

import os

from django.core.exceptions import ImproperlyConfigured

for _required in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "CACHE_URL"):
    if not os.environ.get(_required):
        raise ImproperlyConfigured(
            f"Production settings need the {_required} environment variable."
        )

from newsroom.logging import logging_config  # noqa: E402
from newsroom.settings.base import *  # noqa: E402, F403
from newsroom.settings.base import DATABASES  # noqa: E402
from newsroom.settings.env import env_bool, env_int, env_str  # noqa: E402

DEBUG = False

# --- HTTPS and cookies --------------------------------------------------------
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Database -------------------------------------------------------------------
# Persistent connections are checked before reuse, so a restarted PostgreSQL costs one
# failed request per process at most; a dead host fails fast instead of hanging a worker.
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env_int(
        "DATABASE_CONNECT_TIMEOUT", 3
    )

# --- Cache (throttles) ----------------------------------------------------------
_cache: dict[str, object] = {
    "BACKEND": "newsroom.cache.ResilientRedisCache",
    "LOCATION": env_str("CACHE_URL"),
    "KEY_PREFIX": "newsroom",
    # A cache outage must not take pages down: fail within a second, then carry on as a miss.
    "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
}
CACHES = {"default": _cache}  # type: ignore[dict-item]

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Logs: one JSON object per line, request ids carried into tasks ----------------
LOGGING = logging_config(level=env_str("LOG_LEVEL", "INFO"), json_lines=True)
# The worker keeps Django's handlers instead of installing its own text format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# --- Mail to readers --------------------------------------------------------------
# Links in mails must reach the public site: without PUBLIC_BASE_URL, the first allowed
# host over https (never the development default).
PUBLIC_BASE_URL = env_str(
    "PUBLIC_BASE_URL",
    f"https://{ALLOWED_HOSTS[0].lstrip('.')}",  # noqa: F405
).rstrip("/")
