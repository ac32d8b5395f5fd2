"""Campaign detection: near-identical comments from many authors within a short window.

`signature` is pure (no ORM): the text key, MinHash and its LSH bands, the match test.
`detection` is the scoring rule that stores signatures and assigns clusters; `services`
holds the desk's decisions on a cluster; `selectors` its reads.
"""

from datetime import timedelta

from django.conf import settings

# The rule's name on the hits it gives (Comment.rule_hits).
RULE = "campaign"


def window() -> timedelta:
    """How far back a comment's near-identical copies count."""
    return timedelta(minutes=settings.CAMPAIGN_WINDOW_MINUTES)
