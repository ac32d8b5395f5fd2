"""The moderation policy: what a comment's scores mean. No ORM here.

One ModerationPolicy value answers every question about the thresholds: the status a
score earns, whether a comment is worth explaining, how unsure the model was, which
band a score falls in (the desk's filters and score bars) and whether the model "said
yes" (the dashboard). site_policy() is the only reader of the threshold settings; a
narrower policy (a section's) is the site's with some values overlaid. The scoring
path takes the policy once per batch and hands it down.

Thresholds re-fitted on the newsroom's decided comments at each retrain
(moderation.calibration) are an input of site_policy(): they take the place of
the settings they stand for, and a section's own values still overlay them.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace
from datetime import timedelta
from typing import Any, Literal

from django.conf import settings

Task = Literal["spam", "spoiler", "abuse"]
SpamBand = Literal["low", "held", "high"]
SpoilerBand = Literal["low", "high"]
# A band's [lower, upper) bounds; None where it is open.
Bounds = tuple[float | None, float | None]


class PolicyError(ValueError):
    """Thresholds that cannot work together (outside [0, 1], hold above reject)."""


RuleAction = Literal["reject", "hold", "publish"]
# The policy's numbers, each from 0 to 1.
THRESHOLDS = ("spam_reject", "spam_hold", "spoiler_flag", "abuse_reject", "abuse_hold")
# Each task's (hold, reject) pair: the hold must not sit above the reject.
_HOLD_REJECT_PAIRS = (("spam_hold", "spam_reject"), ("abuse_hold", "abuse_reject"))
# The rule name under which the abuse model's call is recorded among a comment's hits.
ABUSE_RULE = "abuse_model"
# The threshold each task's retrain re-fits, and the precision editors start from.
FITTED_THRESHOLDS: dict[str, str] = {"spam": "spam_reject", "spoiler": "spoiler_flag"}
DEFAULT_TARGET_PRECISION: dict[str, float] = {"spam_reject": 0.98, "spoiler_flag": 0.9}


@dataclass(frozen=True)
class RuleHit:
    """What a rule beside the models says of a comment (see moderation.rules).

    "reject" hides it at once (a banned term, a banned commenter), "hold" keeps it for a
    person (a suspect term, a campaign), "publish" lets it through the hold band (a
    trusted commenter). `reason` is shown to moderators as it stands.
    """

    rule: str
    action: RuleAction
    reason: str

    def as_dict(self) -> dict[str, str]:
        return {"rule": self.rule, "action": self.action, "reason": self.reason}


@dataclass(frozen=True)
class Verdict:
    status: str
    is_spoiler: bool


@dataclass(frozen=True)
class ModerationPolicy:
    # spam ≥ spam_reject: hidden as spam; spam ≥ spam_hold: held for a person;
    # spoiler ≥ spoiler_flag: shown behind the spoiler notice.
    spam_reject: float
    spam_hold: float
    spoiler_flag: float
    # abuse ≥ abuse_reject: rejected at once; abuse ≥ abuse_hold: held for a person,
    # whatever the commenter's trust (an insult is no less one from a regular).
    abuse_reject: float = 0.99
    abuse_hold: float = 0.5
    # Comments with a link are held for a person (moderation.rules.links_held).
    hold_links: bool = False
    # Whose policy this is, as moderators read it: "the site" or a section's name.
    scope: str = "the site"

    def __post_init__(self) -> None:
        for field in fields(self):
            if field.name not in THRESHOLDS:
                continue
            value = getattr(self, field.name)
            if not isinstance(value, int | float) or not 0.0 <= value <= 1.0:
                raise PolicyError(f"{field.name} must be a number from 0 to 1, not {value!r}.")
        for hold, reject in _HOLD_REJECT_PAIRS:
            if getattr(self, hold) > getattr(self, reject):
                raise PolicyError(
                    f"{hold} ({getattr(self, hold):g}) must not be above {reject} "
                    f"({getattr(self, reject):g}): a comment would be hidden before it is held."
                )

    def overlay(
        self,
        *,
        spam_reject: float | None = None,
        spam_hold: float | None = None,
        spoiler_flag: float | None = None,
        hold_links: bool | None = None,
        scope: str | None = None,
        abuse_reject: float | None = None,
        abuse_hold: float | None = None,
    ) -> "ModerationPolicy":
        """This policy with the given values replaced (None keeps this one's).

        Raises PolicyError if the result cannot work (a section's hold above the
        site's reject, say)."""
        given: dict[str, Any] = {
            "spam_reject": spam_reject,
            "spam_hold": spam_hold,
            "spoiler_flag": spoiler_flag,
            "hold_links": hold_links,
            "scope": scope,
            "abuse_reject": abuse_reject,
            "abuse_hold": abuse_hold,
        }
        return replace(self, **{name: value for name, value in given.items() if value is not None})

    # --- what a score means ---------------------------------------------------------

    def says_yes(self, task: Task | str, score: float) -> bool:
        """The model's call for a task: spam or abuse held or hidden, or a spoiler flagged."""
        thresholds = {
            "spam": self.spam_hold,
            "spoiler": self.spoiler_flag,
            "abuse": self.abuse_hold,
        }
        return score >= thresholds[task]

    def spam_band(self, score: float) -> SpamBand:
        if score >= self.spam_reject:
            return "high"
        return "held" if score >= self.spam_hold else "low"

    def abuse_band(self, score: float) -> SpamBand:
        """Low, held for a person, or high (rejected): the same bands as spam's."""
        if score >= self.abuse_reject:
            return "high"
        return "held" if score >= self.abuse_hold else "low"

    def spoiler_band(self, score: float) -> SpoilerBand:
        return "high" if self.says_yes("spoiler", score) else "low"

    def verdict(
        self,
        *,
        spam_score: float,
        spoiler_score: float,
        author_spoiler_tag: bool,
        premoderated: bool,
        hits: Sequence[RuleHit] = (),
        abuse_score: float = 0.0,
    ) -> Verdict:
        """The status a comment earns; a rule's reject comes first, then the model's.

        A "publish" hit (a trusted commenter) lets a comment through the spam hold band
        only: never past the model's reject, an abuse hold, a hold by another rule, or
        premoderation.
        """
        actions = {hit.action for hit in hits}
        abuse = self.abuse_hit(abuse_score)
        if abuse is not None:
            actions.add(abuse.action)
        band = self.spam_band(spam_score)
        if "reject" in actions:
            status = "rejected"
        elif band == "high":
            status = "spam"
        elif premoderated or "hold" in actions:
            status = "pending"
        elif band == "held":
            status = "approved" if "publish" in actions else "pending"
        else:
            status = "approved"
        is_spoiler = author_spoiler_tag or self.says_yes("spoiler", spoiler_score)
        return Verdict(status=status, is_spoiler=is_spoiler)

    def is_flagged(
        self,
        spam_score: float,
        spoiler_score: float,
        hits: Sequence[RuleHit] = (),
        abuse_score: float = 0.0,
    ) -> bool:
        """Whether a moderator will want to know why: held, hidden, flagged as a spoiler
        or as possible abuse, or acted on by a rule."""
        return (
            self.says_yes("spam", spam_score)
            or self.says_yes("spoiler", spoiler_score)
            or self.says_yes("abuse", abuse_score)
            or any(hit.action != "publish" for hit in hits)
        )

    def abuse_hit(self, abuse_score: float, cue: str = "") -> RuleHit | None:
        """The abuse model's call as moderators read it ("possible abuse: word 'moron'"),
        or None below the hold threshold. ``cue`` names what weighed most (see
        moderation.abuse.abuse_cue)."""
        if abuse_score >= self.abuse_reject:
            action: RuleAction = "reject"
            reason = "abuse"
        elif abuse_score >= self.abuse_hold:
            action, reason = "hold", "possible abuse"
        else:
            return None
        # Stored with the comment as the other rules' reasons are, in the desk's language.
        return RuleHit(ABUSE_RULE, action, f"{reason}: {cue}" if cue else reason)

    def abuse_bands(self) -> dict[str, Bounds]:
        return {
            "low": (None, self.abuse_hold),
            "held": (self.abuse_hold, self.abuse_reject),
            "high": (self.abuse_reject, None),
        }

    def uncertainty(self, spam_score: float) -> float:
        """1.0 on the hold threshold, falling to 0.0 at the far ends of the score range."""
        hold = self.spam_hold
        span = hold if spam_score < hold else 1.0 - hold
        if span <= 0:
            return 0.0
        return max(0.0, 1.0 - abs(spam_score - hold) / span)

    # --- the bands as the desk's filters show them ----------------------------------

    def spam_bands(self) -> dict[str, Bounds]:
        """Each spam band's bounds, lowest first."""
        return {
            "low": (None, self.spam_hold),
            "held": (self.spam_hold, self.spam_reject),
            "high": (self.spam_reject, None),
        }

    def spoiler_bands(self) -> dict[str, Bounds]:
        return {"low": (None, self.spoiler_flag), "high": (self.spoiler_flag, None)}


def band_label(lower: float | None, upper: float | None) -> str:
    if lower is None:
        return f"Below {upper:g}"
    if upper is None:
        return f"{lower:g} and above"
    return f"{lower:g} to {upper:g}"


@dataclass(frozen=True)
class TrustPolicy:
    """When a commenter's record earns trust or premoderation (see moderation.trust).

    Trusted: at least `min_approved` comments approved by people and no rejection or
    spam among the last `lookback` decided. Premoderated: the last `distrust_last`
    decided comments all rejected or spam.
    """

    min_approved: int
    lookback: int
    distrust_last: int

    def __post_init__(self) -> None:
        for field in fields(self):
            value = getattr(self, field.name)
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 1000:
                raise PolicyError(
                    f"{field.name} must be a whole number from 1 to 1000, not {value!r}."
                )

    @property
    def depth(self) -> int:
        """How many of a commenter's latest decided comments the policy reads."""
        return max(self.lookback, self.distrust_last)


def trust_policy() -> TrustPolicy:
    """The site's trust policy, from TRUST_MIN_APPROVED, TRUST_LOOKBACK and
    DISTRUST_LAST_REJECTED (checked at start)."""
    return TrustPolicy(
        min_approved=settings.TRUST_MIN_APPROVED,
        lookback=settings.TRUST_LOOKBACK,
        distrust_last=settings.DISTRUST_LAST_REJECTED,
    )


def site_policy(fitted: Mapping[str, float] | None = None) -> ModerationPolicy:
    """The site's policy, from SPAM_REJECT, SPAM_HOLD, SPOILER_FLAG, ABUSE_REJECT and
    ABUSE_HOLD (checked at start), with the fitted thresholds in place of the settings
    they stand for: ``fitted``, or by default those stored at the last retrain.
    """
    if fitted is None:
        # Imported here: the store reads the database, this module does not.
        from moderation.calibration.selectors import fitted_threshold_values

        fitted = fitted_threshold_values()
    policy = ModerationPolicy(
        spam_reject=settings.SPAM_REJECT,
        spam_hold=settings.SPAM_HOLD,
        spoiler_flag=settings.SPOILER_FLAG,
        abuse_reject=settings.ABUSE_REJECT,
        abuse_hold=settings.ABUSE_HOLD,
    )
    return with_fitted(policy, fitted)


def with_fitted(policy: ModerationPolicy, fitted: Mapping[str, float]) -> ModerationPolicy:
    """``policy`` with the fitted thresholds in place. A fitted auto-reject below the
    hold threshold lowers the hold with it: a comment is held before it is hidden.
    """
    reject = fitted.get("spam_reject")
    flag = fitted.get("spoiler_flag")
    return policy.overlay(
        spam_reject=reject,
        spam_hold=min(policy.spam_hold, reject) if reject is not None else None,
        spoiler_flag=flag,
    )


def reports_hold_at() -> int:
    """How many open reports hold a published comment for a person (REPORTS_HOLD_AT)."""
    return int(settings.REPORTS_HOLD_AT)


# A decision made from the queue can be taken back with one key or click for this long;
# afterwards, only from the comment's history.
UNDO_WINDOW = timedelta(seconds=10)
