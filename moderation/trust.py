"""Who a commenter is, and what their record earns them.

A commenter is known by a key: today their normalised email, as comments carry it.
Reader accounts will key on the account first (commenter_key is the one place to
change); a comment without an email has no history and earns no trust.

The standing is read from people's decisions only (moderation.selectors.
commenter_histories) and weighed by the TrustPolicy: a trusted commenter's comments
skip the hold band (a "publish" hit), a premoderated one's wait for a person (a "hold"
hit). Scoring asks once per batch (trust_rule); the desk and the API show the same
standing (attach_standing).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, get_args

from moderation.models import Comment
from moderation.policy import RuleHit, TrustPolicy, trust_policy
from moderation.selectors import CommenterHistory, commenter_histories

StandingKind = Literal["unknown", "new", "known", "trusted", "premoderated"]
STANDING_KINDS: tuple[str, ...] = get_args(StandingKind)

_AGAINST = {Comment.Status.REJECTED, Comment.Status.SPAM}


def commenter_key(comment: Comment) -> str | None:
    """The commenter behind a comment: their email, trimmed and lower-cased, or None."""
    return email_key(comment.author_email)


def email_key(author_email: str) -> str | None:
    return author_email.strip().lower() or None


@dataclass(frozen=True)
class Standing:
    kind: StandingKind
    label: str
    # What scoring does about it: publish through the hold band, hold, or nothing.
    hit: RuleHit | None = None

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "label": self.label}


NO_EMAIL = Standing("unknown", "no email: no history")
NEW = Standing("new", "new commenter")


def _rejected_words(statuses: Sequence[str]) -> str:
    return "rejected" if set(statuses) == {Comment.Status.REJECTED} else "rejected or spam"


def standing(history: CommenterHistory | None, policy: TrustPolicy) -> Standing:
    """What a commenter's record earns under the policy (history None: nothing decided)."""
    if history is None or history.decided == 0:
        return NEW
    last = history.recent[: policy.distrust_last]
    if len(last) == policy.distrust_last and all(status in _AGAINST for status in last):
        words = _rejected_words(last)
        return Standing(
            "premoderated",
            f"premoderated: last {len(last)} {words}",
            RuleHit(rule="trust", action="hold", reason=f"last {len(last)} comments {words}"),
        )
    lookback = history.recent[: policy.lookback]
    if history.approved >= policy.min_approved and not any(s in _AGAINST for s in lookback):
        label = f"trusted: {history.approved} approved"
        return Standing("trusted", label, RuleHit(rule="trust", action="publish", reason=label))
    return Standing(
        "known",
        f"{history.approved} approved, {history.rejected} rejected, {history.spam} spam",
    )


def standings(
    comments: Sequence[Comment], policy: TrustPolicy | None = None
) -> dict[int, Standing]:
    """Every comment's commenter standing, by comment id, in one query."""
    return standings_by_email({comment.pk: comment.author_email for comment in comments}, policy)


def standings_by_email(
    emails: Mapping[int, str], policy: TrustPolicy | None = None
) -> dict[int, Standing]:
    """The same, from each comment's id and author_email (a comment read as plain values)."""
    policy = policy or trust_policy()
    keys = {pk: email_key(email) for pk, email in emails.items()}
    histories = commenter_histories(
        emails=[key for key in keys.values() if key], depth=policy.depth
    )
    return {
        pk: NO_EMAIL if key is None else standing(histories.get(key), policy)
        for pk, key in keys.items()
    }


def trust_rule(comments: Sequence[Comment]) -> Mapping[int, list[RuleHit]]:
    """Publish a trusted commenter's comment through the hold band; hold a distrusted one's."""
    return {pk: [found.hit] for pk, found in standings(comments).items() if found.hit}


def attach_standing(comments: list[Comment]) -> list[Comment]:
    """Set `comment.commenter_standing` on each, for the desk and the API (one query)."""
    found = standings(comments)
    for comment in comments:
        comment.commenter_standing = found[comment.pk]  # type: ignore[attr-defined]
    return comments
