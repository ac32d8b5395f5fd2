"""The desk's decisions on a campaign: all its comments at once, or "not a campaign".

"Reject all" and "spam all" are one bulk decision (moderation.bulk.comment_bulk_decide:
all-or-nothing, capped, an audit event per comment) on the comments the moderator saw,
with the cluster confirmed in the same transaction. "Ban all authors" bans, in one
transaction, every address among the comments the moderator saw (one sanction each,
through moderation.sanctions). "Not a campaign" dismisses the
cluster: the comments it held are released to the policy as if the rule had not
spoken, and its later copies are recognised and not held.
"""

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from articles.models import Article
from moderation.bulk import BulkItem, BulkOutcome, bulk_decider, comment_bulk_decide
from moderation.campaigns import RULE, window
from moderation.models import (
    Comment,
    CommentCluster,
    CommentSignature,
    ModerationEvent,
    RejectReason,
)
from moderation.policy import RuleHit, site_policy
from moderation.sanctions import _reason, commenter_ban, sanction_rule
from moderation.signals import announce_transitions
from moderation.trust import commenter_key

State = CommentCluster.State
# What "reject all" and "spam all" still change: comments not hidden yet.
DECIDABLE = (Comment.Status.PENDING, Comment.Status.APPROVED)
CLUSTER_ACTIONS = {
    "reject": "Reject all",
    "spam": "Spam all",
    "ban": "Ban all authors",
    "dismiss": "Not a campaign",
}


@dataclass(frozen=True)
class AuthorBans:
    """What "ban all authors" did: addresses banned now, those a sanction already
    covered (left as they are), and how many authors gave no address to ban."""

    banned: list[str]
    already: list[str]
    without_email: int


class CampaignConflict(Exception):
    """The campaign is not as the moderator saw it; nothing was changed."""


def _locked(cluster_id: int) -> CommentCluster:
    cluster = CommentCluster.objects.select_for_update().filter(pk=cluster_id).first()
    if cluster is None:
        raise CommentCluster.DoesNotExist(f"No campaign {cluster_id}.")
    if cluster.state == State.DISMISSED:
        raise CampaignConflict("This cluster was marked as not a campaign; nothing was changed.")
    return cluster


def _decided(cluster: CommentCluster, actor: AbstractBaseUser, state: str) -> None:
    cluster.state = state
    cluster.decided_by = actor  # type: ignore[assignment]
    cluster.decided_at = timezone.now()
    cluster.save(update_fields=["state", "decided_by", "decided_at"])


def _as_seen(
    cluster: CommentCluster, seen: Collection[int], *, only: Collection[str] | None = None
) -> list[Comment]:
    """The cluster's comments, refused unless the page showed each of them (those in a
    status of `only`, when given) and nothing else."""
    members = list(
        Comment.objects.filter(cluster_membership__cluster=cluster)
        .only("pk", "status", "author_name", "author_email")
        .order_by("pk")
    )
    unknown = set(seen) - {member.pk for member in members}
    if unknown:
        raise ValidationError(
            {"items": [f"Not in this campaign: {', '.join(map(str, sorted(unknown)))}."]}
        )
    unseen = [m.pk for m in members if (only is None or m.status in only) and m.pk not in seen]
    if unseen:
        raise CampaignConflict(
            f"{len(unseen)} comment(s) joined this campaign since the page was drawn; "
            "nothing was changed."
        )
    return members


def cluster_decide(
    *,
    cluster_id: int,
    action: str,
    actor: AbstractBaseUser,
    seen: Mapping[int, str],
) -> list[BulkOutcome]:
    """Reject or mark as spam every comment of the campaign still shown, as one bulk decision.

    `seen` is each comment's status as the moderator's page showed it. Refused, with
    nothing changed, when the cluster was dismissed or has comments the page did not
    show (CampaignConflict), or when any comment moved on (BulkRefused).
    """
    if action not in ("reject", "spam"):
        raise ValidationError({"action": ["Choose reject or spam."]})
    if not seen:
        raise ValidationError({"items": ["No comment of this campaign is left to decide."]})
    with transaction.atomic():
        cluster = _locked(cluster_id)
        _as_seen(cluster, seen, only=DECIDABLE)
        decide = bulk_decider(
            action=action,
            actor=actor,
            reason_code=RejectReason.DUPLICATE,
            reason_text=f"Campaign {cluster.pk}: {cluster.size} near-identical comments",
        )
        outcomes = comment_bulk_decide(
            items=[BulkItem(pk, status) for pk, status in sorted(seen.items())],
            actor=actor,
            decide=decide,
        )
        _decided(cluster, actor, State.CONFIRMED)
    return outcomes


def cluster_ban_authors(
    *, cluster_id: int, actor: AbstractBaseUser, reason: str, seen_ids: Collection[int]
) -> AuthorBans:
    """Ban every address among the campaign's comments the page showed, all or nothing.

    Each ban is its own sanction (moderation.sanctions.commenter_ban, so its own audit
    row); an address a ban or suspension already covers is left as it is and counted,
    and authors who gave no address are counted. Refused, with nothing written, without
    a reason (ValidationError), or when the cluster was dismissed or has comments the
    page did not show (CampaignConflict). The cluster is confirmed as a campaign.
    """
    errors: dict[str, list[str]] = {}
    reason = _reason(reason, errors)
    if not seen_ids:
        errors["items"] = ["No comment of this campaign was shown."]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        cluster = _locked(cluster_id)
        members = _as_seen(cluster, seen_ids)
        by_email = {key: m for m in members if (key := commenter_key(m))}
        emails = sorted(by_email)
        nameless = {m.author_name.strip().lower() for m in members if not commenter_key(m)}
        covered = _covered(members)
        banned = []
        for email in emails:
            if email in covered:
                continue
            try:
                commenter_ban(actor=actor, reason=reason, email=email)
            except ValidationError:
                # Another moderator's ban of this address came first: leave it be.
                if not _covered([by_email[email]]):
                    raise
                covered.add(email)
                continue
            banned.append(email)
        _decided(cluster, actor, State.CONFIRMED)
    return AuthorBans(
        banned=banned,
        already=[email for email in emails if email in covered],
        without_email=len(nameless),
    )


def _covered(comments: Sequence[Comment]) -> set[str]:
    """The addresses behind these comments that a ban or suspension in force covers
    (by address or domain), as the sanction rule sees them when scoring."""
    hit = sanction_rule(comments)
    return {key for c in comments if c.pk in hit and (key := commenter_key(c))}


def cluster_dismiss(*, cluster_id: int, actor: AbstractBaseUser) -> list[int]:
    """Not a campaign: release the comments it held to the policy; returns those released.

    A held comment no person has decided gets the status the policy gives its scores
    and its other rules' hits (published, or still held for another reason), with a
    SCORED event from the system naming who dismissed the campaign. Its members'
    signatures are kept past the window, so later copies join it and are not held.
    """
    with transaction.atomic():
        cluster = _locked(cluster_id)
        _decided(cluster, actor, State.DISMISSED)
        CommentSignature.objects.filter(comment__cluster_membership__cluster=cluster).update(
            dismissed=True
        )
        held = (
            Comment.objects.select_for_update(of=("self",))
            .select_related("article")
            .filter(
                cluster_membership__cluster=cluster,
                cluster_membership__held=True,
                status=Comment.Status.PENDING,
                decided_at__isnull=True,
                scored_at__isnull=False,
            )
            .order_by("pk")
        )
        policy = site_policy()
        released = []
        changed: list[tuple[int, str]] = []
        now = timezone.now()
        who = actor.get_username()
        for comment in held:
            others = [RuleHit(**hit) for hit in comment.rule_hits if hit.get("rule") != RULE]
            verdict = policy.verdict(
                spam_score=comment.spam_score or 0.0,
                spoiler_score=comment.spoiler_score or 0.0,
                author_spoiler_tag=comment.author_spoiler_tag,
                premoderated=comment.article.comment_mode == Article.CommentMode.PREMODERATED,
                hits=others,
            )
            if verdict.status == comment.status:
                continue
            comment.status = verdict.status
            changed.append((comment.pk, verdict.status))
            comment.updated_at = now
            comment.save(update_fields=["status", "updated_at"])
            ModerationEvent.objects.create(
                comment=comment,
                action=ModerationEvent.Action.SCORED,
                from_status=Comment.Status.PENDING,
                to_status=verdict.status,
                reason_code="campaign_dismissed",
                reason_text=f"Not a campaign ({who}): released to the policy",
                model_versions={
                    "spam": comment.spam_model_version,
                    "spoiler": comment.spoiler_model_version,
                },
                scores={"spam": comment.spam_score, "spoiler": comment.spoiler_score},
                created_at=now,
            )
            released.append(comment.pk)
        announce_transitions((pk, Comment.Status.PENDING, status) for pk, status in changed)
    return released


def campaign_prune_signatures() -> int:
    """Delete the signatures older than the campaign window, but those of a dismissed
    cluster's members; returns how many went."""
    cutoff = timezone.now() - window()
    deleted, _ = CommentSignature.objects.filter(created_at__lt=cutoff, dismissed=False).delete()
    return deleted
