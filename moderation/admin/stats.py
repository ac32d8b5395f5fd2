"""Reads for the desk's dashboard and the model pages: queue health and model agreement."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, F, Min, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from moderation.abuse import ABUSE_REASONS
from moderation.models import Comment, ModerationEvent
from moderation.policy import ModerationPolicy, site_policy
from moderation.selectors import QUEUES, queue_sizes

Action = ModerationEvent.Action
Status = Comment.Status

PERSON_DECISIONS = (
    Action.APPROVED,
    Action.REJECTED,
    Action.MARKED_SPAM,
    Action.SPOILER_SET,
    Action.SPOILER_CLEARED,
)
QUEUE_LABELS = {
    "pending": "Pending",
    "auto_spam": "Auto-spam",
    "spoiler": "Spoiler-flagged",
    "reported": "Reported",
    "unmoderated": "Unmoderated",
}


@dataclass(frozen=True)
class QueueSize:
    name: str
    label: str
    size: int


def queue_overview() -> list[QueueSize]:
    sizes = queue_sizes()
    return [QueueSize(name, QUEUE_LABELS.get(name, name), sizes[name]) for name in QUEUES]


def oldest_waiting_since() -> datetime | None:
    """When the oldest comment still waiting for a person was posted."""
    return Comment.objects.filter(QUEUES["pending"]).aggregate(oldest=Min("created_at"))["oldest"]


def decisions_per_day(*, days: int = 30) -> list[tuple[date, dict[str, int]]]:
    """People's decisions per local day for the last `days` days, oldest first, zeros kept."""
    today = timezone.localdate()
    first = today - timedelta(days=days - 1)
    since = timezone.make_aware(datetime.combine(first, datetime.min.time()))
    rows = (
        ModerationEvent.objects.filter(
            actor__isnull=False, action__in=PERSON_DECISIONS, created_at__gte=since
        )
        .annotate(day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()))
        .values("day", "action")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_day: dict[date, dict[str, int]] = {
        first + timedelta(days=i): dict.fromkeys(PERSON_DECISIONS, 0) for i in range(days)
    }
    for row in rows:
        if row["day"] in by_day:
            by_day[row["day"]][row["action"]] = row["n"]
    return list(by_day.items())


@dataclass(frozen=True)
class Reversals:
    automatic: int
    reversed: int

    @property
    def share(self) -> float | None:
        return self.reversed / self.automatic if self.automatic else None


def classifier_reversals(*, days: int = 30) -> Reversals:
    """Of the comments the classifier published or hid on its own, how many people reversed.

    A reversal is a person's decision that left the comment in another status than the
    one the policy gave it (auto-spam approved, auto-approved rejected or marked spam).
    """
    since = timezone.now() - timedelta(days=days)
    figures = ModerationEvent.objects.filter(
        action=Action.SCORED,
        actor__isnull=True,
        created_at__gte=since,
        to_status__in=[Status.APPROVED, Status.SPAM],
    ).aggregate(
        automatic=Count("comment", distinct=True),
        reversed=Count(
            "comment",
            distinct=True,
            filter=Q(comment__decided_at__isnull=False) & ~Q(comment__status=F("to_status")),
        ),
    )
    return Reversals(automatic=figures["automatic"], reversed=figures["reversed"])


@dataclass(frozen=True)
class Agreement:
    version: str
    compared: int
    agreed: int

    @property
    def share(self) -> float | None:
        return self.agreed / self.compared if self.compared else None


def _model_said_yes(policy: ModerationPolicy, task: str, score: object) -> bool | None:
    if not isinstance(score, int | float):
        return None
    return policy.says_yes(task, score)


def _person_said_yes(task: str, action: str, reason_code: str = "") -> bool | None:
    if task == "abuse":
        # Rejected for abuse, or approved; another rejection says nothing of abuse.
        if action == Action.REJECTED:
            return True if reason_code in ABUSE_REASONS else None
        return False if action == Action.APPROVED else None
    if task == "spam":
        return {Action.MARKED_SPAM: True, Action.APPROVED: False}.get(action)  # type: ignore[call-overload]
    return {Action.SPOILER_SET: True, Action.SPOILER_CLEARED: False}.get(action)  # type: ignore[call-overload]


def model_agreement(*, task: str, days: int = 30) -> list[Agreement]:
    """How often people's later decisions agreed with each model version's call, per version.

    The model's call is its score against the policy threshold (spam: the hold threshold,
    so "held or hidden" counts as saying spam). People say spam by marking it and not
    spam by approving; for spoilers, by setting or clearing the flag; abuse by rejecting
    with an abuse reason (moderation.abuse.ABUSE_REASONS) and not abuse by approving. A
    rejection says nothing about spam (abuse, off topic), so it is left out. Each comment
    counts once, with the last person's decision on it.
    """
    since = timezone.now() - timedelta(days=days)
    policy = site_policy()
    decisions = {
        "spam": [Action.MARKED_SPAM, Action.APPROVED],
        "abuse": [Action.REJECTED, Action.APPROVED],
    }.get(task, [Action.SPOILER_SET, Action.SPOILER_CLEARED])
    decided = ModerationEvent.objects.filter(
        actor__isnull=False, action__in=decisions, created_at__gte=since
    )
    # Only the scores of comments people decided in the window are read.
    scored = {
        row["comment_id"]: row
        for row in ModerationEvent.objects.filter(
            action=Action.SCORED, comment_id__in=decided.values("comment_id")
        ).values("comment_id", "created_at", "scores", "model_versions")
    }
    verdicts: dict[int, tuple[str, str]] = {}
    for comment_id, action, reason_code, at in decided.order_by("created_at", "id").values_list(
        "comment_id", "action", "reason_code", "created_at"
    ):
        if comment_id in scored and at >= scored[comment_id]["created_at"]:
            verdicts[comment_id] = (action, reason_code)
    tally: dict[str, list[int]] = {}
    for comment_id, (action, reason_code) in verdicts.items():
        row = scored[comment_id]
        model_yes = _model_said_yes(policy, task, (row["scores"] or {}).get(task))
        person_yes = _person_said_yes(task, action, reason_code)
        if model_yes is None or person_yes is None:
            continue
        version = str((row["model_versions"] or {}).get(task) or "unknown")
        counts = tally.setdefault(version, [0, 0])
        counts[0] += 1
        counts[1] += int(model_yes == person_yes)
    return sorted(
        (Agreement(version, compared, agreed) for version, (compared, agreed) in tally.items()),
        key=lambda a: -a.compared,
    )
