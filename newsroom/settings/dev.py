"""Development: the embedded default that `make run` starts."""

from newsroom.settings.base import *  # noqa: F403
from newsroom.settings.env import env_bool, env_str

DEBUG = env_bool("DEBUG", True)

# Serve static files straight from the apps while developing; production collects them.
WHITENOISE_AUTOREFRESH = True

# Emails are written to files under var/mail/ (one per message) rather than sent,
# unless EMAIL_URL says otherwise.
if not env_str("EMAIL_URL", ""):
    EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
    EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))  # noqa: F405

# Without CACHE_URL, a cache in files under var/: `make run`'s web process and workers
# share it, so a comment a worker publishes retires the cached comment list at once
# (a per-process cache would keep it until it expires) and rate limits count across
# processes.
if not env_str("CACHE_URL", ""):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env_str("FILE_CACHE_DIR", str(VAR_DIR / "cache")),  # noqa: F405
        }
    }
