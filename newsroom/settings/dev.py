"""Development: the embedded default that `make run` starts."""

from newsroom.settings.base import *  # noqa: F403
from newsroom.settings.env import env_bool

DEBUG = env_bool("DEBUG", True)

# Serve static files straight from the apps while developing; production collects them.
WHITENOISE_AUTOREFRESH = True
