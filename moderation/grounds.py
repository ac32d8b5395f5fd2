"""The ground a comment's author is told for a decision against it, in plain words.

The one list of public texts: a person's reject reasons (RejectReason, by code) and the
automatic actions (a rule beside the models, or the spam model itself). The statement
of reasons, its mail and its page all ask `decision_ground`.
"""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from moderation.models import Comment, ModerationEvent, RejectReason

REASON_PUBLIC_TEXT: dict[str, Promise] = {
    RejectReason.ABUSE: _("It attacks or insults people, or stirs up hatred against them."),
    RejectReason.OFF_TOPIC: _("It is not about the article or the discussion under it."),
    RejectReason.PERSONAL_DATA: _(
        "It shares personal information about someone (an address, a phone number, "
        "private details)."
    ),
    RejectReason.LEGAL: _(
        "Publishing it could break the law, for example by defaming someone or prejudicing a trial."
    ),
    RejectReason.DUPLICATE: _("The same text was posted more than once."),
    RejectReason.OTHER: _("It breaks our community rules."),
}
SPAM_PUBLIC_TEXT = _("It looks like spam or advertising.")
# Automatic actions by the rule that took them (moderation.rules).
RULE_PUBLIC_TEXT: dict[str, Promise] = {
    "word_list": _("It contains words our community rules do not allow."),
    "sanction": _("The address it was posted from may not comment at the moment."),
}
DECISIONS_AGAINST = (Comment.Status.REJECTED, Comment.Status.SPAM)


def decision_ground(event: ModerationEvent, comment: Comment) -> Promise:
    """Why the comment was rejected or hidden, as the author is told."""
    if event.reason_code in REASON_PUBLIC_TEXT:
        return REASON_PUBLIC_TEXT[event.reason_code]
    if event.actor_id is None:
        for hit in comment.rule_hits:
            if hit.get("action") == "reject" and hit.get("rule") in RULE_PUBLIC_TEXT:
                return RULE_PUBLIC_TEXT[hit["rule"]]
    return (
        SPAM_PUBLIC_TEXT
        if event.to_status == Comment.Status.SPAM
        else REASON_PUBLIC_TEXT[RejectReason.OTHER]
    )


def is_decision_against(event: ModerationEvent) -> bool:
    return event.to_status in DECISIONS_AGAINST and event.from_status != event.to_status
