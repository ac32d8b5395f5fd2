"""A rule: in a section that holds links, a comment with a link waits for a person."""

from collections.abc import Mapping, Sequence

from moderation.models import Comment
from moderation.policy import RuleHit
from moderation.section_policy import comment_policies


def links_held(comments: Sequence[Comment]) -> Mapping[int, list[RuleHit]]:
    # Here, not at the top: the features module loads numpy and scikit-learn, which the
    # web processes (importing the tasks by name) must never hold.
    from moderation.classifier.features import link_count

    policies = comment_policies(comments)
    return {
        comment.pk: [
            RuleHit(
                rule="links_held",
                action="hold",
                reason=f"links are held for review in {policies[comment.pk].scope}",
            )
        ]
        for comment in comments
        if policies[comment.pk].hold_links and link_count(comment.body.lower())
    }
