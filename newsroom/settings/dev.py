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
