"""The moderation policy: what a comment's scores mean for its status. No ORM here."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Thresholds:
    spam_reject: float
    spam_hold: float
    spoiler_flag: float


@dataclass(frozen=True)
class Verdict:
    status: str
    is_spoiler: bool


def apply_policy(
    *,
    spam_score: float,
    spoiler_score: float,
    author_spoiler_tag: bool,
    premoderated: bool,
    thresholds: Thresholds,
) -> Verdict:
    if spam_score >= thresholds.spam_reject:
        status = "spam"
    elif spam_score >= thresholds.spam_hold or premoderated:
        status = "pending"
    else:
        status = "approved"
    is_spoiler = author_spoiler_tag or spoiler_score >= thresholds.spoiler_flag
    return Verdict(status=status, is_spoiler=is_spoiler)


def uncertainty(spam_score: float, thresholds: Thresholds) -> float:
    """1.0 on the hold threshold, falling to 0.0 at the far ends of the score range."""
    hold = thresholds.spam_hold
    span = hold if spam_score < hold else 1.0 - hold
    if span <= 0:
        return 0.0
    return max(0.0, 1.0 - abs(spam_score - hold) / span)
