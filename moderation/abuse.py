"""The abuse task on the Django side: which decisions are abuse labels, and the words
a held comment's reason names.

Spam and spoilers each have a decision of their own (marked spam, the spoiler flag);
abuse has none: a person says it by rejecting a comment with one of ABUSE_REASONS.
"""

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef

from moderation.classifier.function_words import is_function_word
from moderation.models import ModerationEvent, RejectReason

if TYPE_CHECKING:
    from moderation.classifier import TextClassifier

# The reject reasons that say "abusive": the one place that turns a person's rejection
# into an abuse label. Approved comments are the other class; a rejection for another
# reason (off topic, a duplicate) and spam say nothing about abuse either way.
ABUSE_REASONS: frozenset[str] = frozenset({RejectReason.ABUSE})

# 'word "moron"', 'fragment "moron."', 'phrase "brain dead"' (see classifier.explanation).
_QUOTED = re.compile(r'^(word|fragment|phrase) "(.*)"$')
_WORD = re.compile(r"[^\W_]+")


def rejected_for_abuse(comment: str = "pk") -> Exists:
    """Whether a person rejected the comment (``comment``: the outer query's reference
    to it) with one of ABUSE_REASONS."""
    return Exists(
        ModerationEvent.objects.filter(
            comment=OuterRef(comment),
            action=ModerationEvent.Action.REJECTED,
            reason_code__in=sorted(ABUSE_REASONS),
        )
    )


def abuse_cue(model: "TextClassifier", text: str, meta: Mapping[str, str] | None) -> str:
    """What pushed the abuse score up the most, as the reason names it ("word 'moron'");
    "" when no word or phrase did (a signal alone).

    The model's explanation leaves function words out already; punctuation stuck to a
    word ("moron.") is left out here, since the reason names the word.
    """
    for contribution in model.explain(text, meta, k=5):
        match = _QUOTED.match(contribution.feature)
        if match is None:
            continue
        kind, quoted = match.groups()
        # "moron's" names the word 'moron'.
        words = [word for word in _WORD.findall(quoted) if not is_function_word(word)]
        if not words:
            continue
        if kind == "phrase" or len(words) > 1:
            return f"phrase '{' '.join(words)}'"
        return f"word '{words[0]}'"
    return ""
