"""One "scoring wanted" flag in the shared cache, so a burst of comments publishes few tasks.

Web side, after a comment commits: set the flag if it is down (one SET NX round trip)
and publish a scoring task only when this call set it. Worker side: clear the flag,
then select every comment still unscored. Why nothing is left behind: a comment looks
at the flag only after it committed; if it finds the flag up, the task published by
whoever raised it has not cleared it yet, so that task clears it (DEL) after this
comment committed and selects after that: it sees the comment. A lost task leaves the
flag to expire (SCORING_WANTED_SECONDS) and its comments to the sweep.

Only with a cache the web processes and the workers share (settings.SCORING_COALESCE).
"""

import logging

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

FLAG_KEY = "moderation:scoring-wanted"


def scoring_wanted_raise() -> bool:
    """Raise the flag; True when it was down (the caller publishes a task), or unknown.

    A cache that cannot answer counts as "was down": an extra task costs a delivery,
    a missing one would leave comments to the sweep.
    """
    timeout = settings.SCORING_WANTED_SECONDS
    store = caches["default"]  # the backend itself: `cache` is a proxy to it
    try:
        if isinstance(store, RedisCache):
            # Not the resilient cache's add(), which answers an outage with False.
            return bool(RedisCache.add(store, FLAG_KEY, 1, timeout))
        return bool(store.add(FLAG_KEY, 1, timeout))
    except Exception:  # redis-py and the socket raise several unrelated types
        logger.warning("Cache unreachable; scoring task published anyway", exc_info=True)
        return True


def scoring_wanted_clear() -> None:
    """Lower the flag, before the caller selects what waits (see the module's note)."""
    try:
        cache.delete(FLAG_KEY)
    except Exception:  # the flag then expires; comments it covered go to the next task
        logger.warning("Cache unreachable; scoring flag left to expire", exc_info=True)
