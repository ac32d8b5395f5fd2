"""Rules beside the models: what the newsroom's own lists and records say of a comment.

A rule takes a batch of comments as scoring loads them (SIGNAL_FIELDS in
moderation.comment_scoring: text, author, article) and returns its hits by comment id,
with as few queries as it can for the whole batch. Scoring asks every rule once per
batch, before the models; ModerationPolicy.verdict weighs the hits with the scores.
Each rule lives in a module of its own and is listed in RULES.
"""

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence

from moderation.campaigns.detection import campaign_rule
from moderation.links_rule import links_held
from moderation.models import Comment
from moderation.policy import RuleHit
from moderation.sanctions import sanction_rule
from moderation.trust import trust_rule
from moderation.word_lists import word_list_hits

Rule = Callable[[Sequence[Comment]], Mapping[int, list[RuleHit]]]


# Asked in this order; a comment's hits keep it.
# A ban first, the newsroom's word lists, the section's rule on links, a campaign, then
# the commenter's standing.
RULES: list[Rule] = [sanction_rule, word_list_hits, links_held, campaign_rule, trust_rule]


def rule_hits(
    comments: Sequence[Comment], rules: Sequence[Rule] | None = None
) -> dict[int, list[RuleHit]]:
    """Every rule's hits on a batch of comments, by comment id (absent: no hit)."""
    found: dict[int, list[RuleHit]] = defaultdict(list)
    if not comments:
        return {}
    for rule in RULES if rules is None else rules:
        for comment_id, hits in rule(comments).items():
            found[comment_id].extend(hits)
    return dict(found)
