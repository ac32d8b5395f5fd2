"""Reader comments, the audit trail of decisions on them, and the classifier registry."""

import hashlib
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Reader, Section
from moderation.classifier.terms import TermError, check_term

COMMENT_BODY_MAX_LENGTH = 5000
COMMENT_NAME_MAX_LENGTH = 80


class RejectReason(models.TextChoices):
    """Why a person rejected a comment; the code is kept on the audit event.

    The one list: the service validates against it, the admin's forms, the desk's keys
    (by position, 1 to N) and the API's enum all read it.
    """

    ABUSE = "abuse", "Abusive or hateful"
    OFF_TOPIC = "off_topic", "Off topic"
    PERSONAL_DATA = "personal_data", "Shares personal data"
    LEGAL = "legal", "Legal risk (defamation, contempt)"
    DUPLICATE = "duplicate", "Posted more than once"
    OTHER = "other", "Other"


def comment_etag(
    pk: int,
    status: str,
    is_spoiler: bool,
    decided_at: datetime | None,
    spoiler_reviewed_at: datetime | None,
) -> str:
    """Comment.etag from the columns it is made of (for a comment read as plain values)."""
    state = ":".join(
        [
            str(pk),
            status,
            str(int(is_spoiler)),
            decided_at.isoformat() if decided_at else "",
            spoiler_reviewed_at.isoformat() if spoiler_reviewed_at else "",
        ]
    )
    return '"' + hashlib.sha256(state.encode()).hexdigest()[:20] + '"'


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        SPAM = "spam", "Spam"

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="comments")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    author_name = models.CharField(max_length=COMMENT_NAME_MAX_LENGTH)
    # Never shown publicly; used to group an author's history and to export or erase it.
    author_email = models.EmailField(blank=True, db_index=True)
    body = models.TextField(max_length=COMMENT_BODY_MAX_LENGTH)
    author_spoiler_tag = models.BooleanField(default=False)
    reader = models.ForeignKey(
        Reader, null=True, blank=True, on_delete=models.SET_NULL, related_name="comments"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    is_spoiler = models.BooleanField(default=False)

    spam_score = models.FloatField(null=True, blank=True)
    spoiler_score = models.FloatField(null=True, blank=True)
    spam_model_version = models.CharField(max_length=64, blank=True)
    spoiler_model_version = models.CharField(max_length=64, blank=True)
    abuse_score = models.FloatField(null=True, blank=True)
    abuse_model_version = models.CharField(max_length=64, blank=True)
    # {"spam": [{"feature": ..., "weight": ...}, ...], "spoiler": [...]}
    explanation = models.JSONField(default=dict, blank=True)
    # What rules beside the models said when it was scored (moderation.rules):
    # [{"rule": "word_list", "action": "hold", "reason": "suspect term 'moron'"}, ...]
    rule_hits = models.JSONField(default=list, blank=True)
    scored_at = models.DateTimeField(null=True, blank=True)
    # 1.0 when the spam score sits on the hold threshold, 0.0 when it is certain: the
    # queue shows the most uncertain first. Unscored comments count as fully uncertain.
    uncertainty = models.FloatField(default=1.0)

    # Request signals, kept for classification and abuse handling; the IP is erased
    # after IP_RETENTION_DAYS.
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=500, blank=True)
    referrer = models.CharField(max_length=500, blank=True)

    # Open reports only: a decision or a dismissal resolves them and sets this to 0.
    reports_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    # Set only by a person's status decision (approve, reject, spam), which the
    # classifier never overrides.
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # Set only by a person setting or clearing the spoiler flag: the classifier never
    # changes `is_spoiler` again, but may still set the status unless a person decided it.
    spoiler_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    spoiler_reviewed_at = models.DateTimeField(null=True, blank=True)
    # The comment's id in the export it was imported from ("disqus:<site>:<post id>"), so
    # a second import finds it; blank for comments posted here.
    import_key = models.CharField(max_length=120, blank=True)

    # The author's own changes (moderation.engagement): an edit is scored and moderated
    # again like a new comment; a deletion blanks the body and keeps the replies.
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    # Readers' "recommend" reactions, counted here so pages can sort by them.
    recommend_count = models.PositiveIntegerField(default=0)
    # An editors' pick: shown in the strip above the thread and marked in place.
    featured_at = models.DateTimeField(null=True, blank=True)
    featured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            # The queue in priority order. It carries the columns the queue's filters read,
            # so a page's keys are found in the index alone (KeysFirstKeysetPagination).
            models.Index(
                fields=["status", "-uncertainty", "created_at", "id"],
                include=[
                    "article",
                    "spam_score",
                    "spoiler_score",
                    "is_spoiler",
                    "reports_count",
                    "decided_at",
                    "spoiler_reviewed_at",
                ],
                name="comment_queue_priority",
            ),
            models.Index(fields=["status", "created_at", "id"], name="comment_status_created"),
            models.Index(fields=["article", "status", "created_at"], name="comment_article_status"),
            # How many comments an article has published and when one last changed, from
            # the index alone: the freshness key of the cached comment pages.
            models.Index(
                fields=["article", "status", "updated_at"],
                include=["parent"],
                name="comment_article_changes",
            ),
            models.Index(fields=["status", "spam_score"], name="comment_status_spam"),
            # The author's record on every queue item: counted from the index alone.
            models.Index(
                fields=["author_email", "status", "created_at"], name="comment_author_history"
            ),
            models.Index(
                fields=["created_at"], condition=Q(scored_at__isnull=True), name="comment_unscored"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["import_key"], condition=~Q(import_key=""), name="comment_import_key_unique"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "approved", "rejected", "spam"]),
                name="comment_status_valid",
            ),
            # Only a comment its author deleted has no body.
            models.CheckConstraint(
                condition=~Q(body="") | Q(deleted_at__isnull=False),
                name="comment_body_not_empty",
            ),
            models.CheckConstraint(condition=~Q(author_name=""), name="comment_author_not_empty"),
            models.CheckConstraint(
                condition=Q(spam_score__isnull=True) | Q(spam_score__gte=0, spam_score__lte=1),
                name="comment_spam_score_range",
            ),
            models.CheckConstraint(
                condition=Q(spoiler_score__isnull=True)
                | Q(spoiler_score__gte=0, spoiler_score__lte=1),
                name="comment_spoiler_score_range",
            ),
            models.CheckConstraint(
                condition=Q(abuse_score__isnull=True) | Q(abuse_score__gte=0, abuse_score__lte=1),
                name="comment_abuse_score_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author_name}: {self.body[:60]}"

    @property
    def is_decided_by_person(self) -> bool:
        """A person decided the status; scoring leaves it alone."""
        return self.decided_at is not None

    @property
    def is_spoiler_reviewed_by_person(self) -> bool:
        """A person set or cleared the spoiler flag; scoring leaves it alone."""
        return self.spoiler_reviewed_at is not None

    @property
    def etag(self) -> str:
        """A strong ETag that changes whenever a decision or a score changes the comment's state.

        Decisions compare it inside the row lock (moderation.services), so "the comment
        as I saw it" means the same thing to the API's If-Match and to the service.
        """
        return comment_etag(
            self.pk, self.status, self.is_spoiler, self.decided_at, self.spoiler_reviewed_at
        )


class CommentReport(models.Model):
    """A reader's report that a comment is abusive, spam or otherwise out of place."""

    class Reason(models.TextChoices):
        ABUSE = "abuse", _("Abusive or hateful")
        SPAM = "spam", _("Spam or advertising")
        SPOILER = "spoiler", _("Unmarked spoiler")
        OFF_TOPIC = "off_topic", _("Off topic")
        OTHER = "other", _("Other")

    class Resolution(models.TextChoices):
        DECIDED = "decided", "Resolved by a decision"
        DISMISSED = "dismissed", "Dismissed"

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    text = models.TextField(max_length=1000, blank=True)
    reader = models.ForeignKey(
        Reader, null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Open until a person decides the comment or dismisses its reports; the event that
    # closed it is kept, so undoing that event opens the report again.
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.CharField(max_length=10, choices=Resolution.choices, blank=True)
    resolved_event = models.ForeignKey(
        "ModerationEvent",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="resolved_reports",
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["comment"], condition=Q(resolved_at__isnull=True), name="report_open"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True, resolution="")
                | Q(resolved_at__isnull=False, resolution__in=["decided", "dismissed"]),
                name="report_resolution_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} on comment {self.comment_id}"


class ModerationEvent(models.Model):
    """Append-only audit trail: who did what to a comment, from which state to which."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        SCORED = "scored", "Scored"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        MARKED_SPAM = "marked_spam", "Marked as spam"
        SPOILER_SET = "spoiler_set", "Spoiler flag set"
        SPOILER_CLEARED = "spoiler_cleared", "Spoiler flag cleared"
        REPORTED = "reported", "Reported by a reader"
        ERASED = "erased", "Personal data erased"
        IMPORTED = "imported", "Imported from another system's export"
        HELD_FOR_REPORTS = "held_for_reports", "Held: reported by several readers"
        REPORTS_DISMISSED = "reports_dismissed", "Reports dismissed"
        UNDONE = "undone", "Undone"
        EDITED = "edited", "Edited by its author"
        DELETED = "deleted", "Deleted by its author"
        FEATURED = "featured", "Made an editors' pick"
        UNFEATURED = "unfeatured", "Removed from editors' picks"

    comment = models.ForeignKey(Comment, on_delete=models.PROTECT, related_name="events")
    # Null actor means the system (the classifier's policy).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10, blank=True)
    reason_code = models.CharField(max_length=40, blank=True)
    reason_text = models.TextField(max_length=2000, blank=True)
    # {"spam": "<version>", "spoiler": "<version>"} and {"spam": 0.93, "spoiler": 0.1}
    model_versions = models.JSONField(default=dict, blank=True)
    scores = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    # How many open reports this event closed (a decision or a dismissal).
    reports_resolved = models.PositiveIntegerField(default=0)
    # For an "undone" event: the decision it took back.
    undoes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="undone_by"
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["comment", "created_at"], name="event_comment_created")]

    def __str__(self) -> str:
        who = self.actor or "system"
        return f"{who} {self.action} comment {self.comment_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("Moderation events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValueError("Moderation events are append-only.")

    @property
    def actor_label(self) -> str:
        return self.actor.get_username() if self.actor else "system"

    @property
    def reason_label(self) -> str:
        """The reason in words: a reject reason's or a report reason's label."""
        return reason_label(self.reason_code, report=self.action == self.Action.REPORTED)


def reason_label(code: str, *, report: bool = False) -> str:
    """A reason code in the words the desk shows ("off_topic" is "Off topic")."""
    choices = CommentReport.Reason if report else RejectReason
    try:
        return str(choices(code).label)
    except ValueError:
        return code


class ClassifierModel(models.Model):
    """A trained classifier in the registry; at most one active and one shadow per task.

    A shadow scores live comments beside the active model without acting: its scores and
    the decisions they would have made are kept (ShadowScore) until it is promoted or
    discarded.
    """

    class Task(models.TextChoices):
        SPAM = "spam", "Spam"
        SPOILER = "spoiler", "Spoiler"
        ABUSE = "abuse", "Abuse"

    class State(models.TextChoices):
        ACTIVE = "active", "Active"
        RETIRED = "retired", "Retired"
        REJECTED = "rejected", "Rejected"
        SHADOW = "shadow", "Shadow"

    task = models.CharField(max_length=10, choices=Task.choices)
    # sha256 of the artifact: the content hash names the version.
    version = models.CharField(max_length=64)
    state = models.CharField(max_length=10, choices=State.choices)
    created_at = models.DateTimeField(default=timezone.now)
    activated_at = models.DateTimeField(null=True, blank=True)
    sklearn_version = models.CharField(max_length=20)
    training_size = models.PositiveIntegerField()
    # {"seed": 420, "decisions": 35, "csv:sms.tsv": 5000}
    sources = models.JSONField(default=dict)
    # Held-out figures: accuracy, precision, recall, f1, roc_auc, confusion, pr_curve.
    metrics = models.JSONField(default=dict)
    # Metrics of the model that was active when this one was evaluated, on the same split.
    compared_with = models.JSONField(default=dict, blank=True)
    # Stored in the database so every worker on every machine sees the same file.
    # Emptied when the registry prunes an old model (pruned_at); its figures stay.
    artifact = models.BinaryField()
    artifact_bytes = models.PositiveIntegerField(default=0)
    # The feature layout the model was trained on (as recorded in its artifact), so that
    # readiness can tell a model the running code would refuse without loading it.
    layout = models.JSONField(default=dict, blank=True)
    pruned_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the model file was pruned from the registry; its figures are kept.",
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "version"], name="classifier_task_version_unique"
            ),
            models.UniqueConstraint(
                fields=["task"], condition=Q(state="active"), name="classifier_one_active_per_task"
            ),
            models.UniqueConstraint(
                fields=["task"], condition=Q(state="shadow"), name="classifier_one_shadow_per_task"
            ),
            models.CheckConstraint(
                condition=Q(task__in=["spam", "spoiler", "abuse"]), name="classifier_task_valid"
            ),
            models.CheckConstraint(
                condition=Q(state__in=["active", "retired", "rejected", "shadow"]),
                name="classifier_state_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task} {self.version[:12]} ({self.state})"

    @property
    def is_pruned(self) -> bool:
        return self.pruned_at is not None


def scored_tasks() -> tuple[str, ...]:
    """The registry's tasks whose score a comment keeps (`<task>_score`), in order: the
    desk draws one score column per task, so a new task shows without further edits."""
    names = {field.name for field in Comment._meta.get_fields()}
    return tuple(task for task in ClassifierModel.Task.values if f"{task}_score" in names)


class ShadowScore(models.Model):
    """What a shadow model said of one live comment, beside what the active model said.

    Both would-be decisions come from the same policy at the same moment, so the model
    page compares like with like; a person's later decision is read from the comment.
    """

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="shadow_scores")
    model = models.ForeignKey(
        ClassifierModel, on_delete=models.CASCADE, related_name="shadow_scores"
    )
    score = models.FloatField()
    # The status and spoiler flag the policy would have given with the shadow's score.
    would_status = models.CharField(max_length=10, choices=Comment.Status.choices)
    would_spoiler = models.BooleanField()
    # The model's call for its task: spam held or hidden, or a spoiler by its score.
    says_yes = models.BooleanField()
    # The same three for the active model that acted on the comment.
    active_score = models.FloatField()
    active_status = models.CharField(max_length=10, choices=Comment.Status.choices)
    active_spoiler = models.BooleanField()
    active_says_yes = models.BooleanField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["comment", "model"], name="shadow_score_once"),
            models.CheckConstraint(
                condition=Q(score__gte=0, score__lte=1, active_score__gte=0, active_score__lte=1),
                name="shadow_score_range",
            ),
        ]
        indexes = [models.Index(fields=["model", "created_at"], name="shadow_score_model_created")]

    def __str__(self) -> str:
        return f"shadow {self.model_id} on comment {self.comment_id}: {self.would_status}"


class WordListTerm(models.Model):
    """A term on the site's word list, or on a section's (which applies beside the
    site's): banned (the comment is rejected at once) or suspect (it is held for a
    person). A plain word or phrase matches whole words in any case, without accents,
    and written with look-alike letters, digits for letters, letters spaced out or
    repeated; an expression must match whole words too.
    """

    class Kind(models.TextChoices):
        BANNED = "banned", "Banned: reject at once"
        SUSPECT = "suspect", "Suspect: hold for review"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    pattern = models.CharField(
        "term",
        max_length=200,
        help_text=(
            "A word or phrase (\u201cmoron\u201d also catches \u201cM0R0N\u201d, "
            "\u201cm o r o n\u201d and \u201cmoooron\u201d, but not a longer word), "
            "or a regular expression if ticked below."
        ),
    )
    is_regex = models.BooleanField(
        "regular expression",
        default=False,
        help_text="Matched against the comment in lower case, accents removed, whole words only.",
    )
    section = models.ForeignKey(
        Section,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="word_list_terms",
        help_text="Only comments on this section's articles. Empty: the whole site.",
    )
    note = models.CharField(max_length=300, blank=True, help_text="Why it is on the list.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # With the number of terms, what the scoring workers compare to notice a change.
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "pattern"]
        verbose_name = "word list term"
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["banned", "suspect"]), name="word_list_term_kind_valid"
            ),
            models.UniqueConstraint(
                Lower("pattern"),
                "is_regex",
                condition=Q(section__isnull=True),
                name="word_list_term_unique_site",
                violation_error_message="This term is already on the site's list.",
            ),
            models.UniqueConstraint(
                Lower("pattern"),
                "is_regex",
                "section",
                condition=Q(section__isnull=False),
                name="word_list_term_unique_section",
                violation_error_message="This term is already on the section's list.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pattern} ({self.kind})"

    def clean(self) -> None:
        try:
            self.pattern = check_term(self.pattern or "", is_regex=self.is_regex)
        except TermError as error:
            raise ValidationError({"pattern": str(error)}) from None


SANCTION_REASON_MAX_LENGTH = 500


class CommenterSanction(models.Model):
    """A ban (for good) or a suspension (until a date) of a commenter, by email or domain.

    The rows are their own audit trail: who imposed it, when and why, and who lifted it,
    when and why. A row is never deleted, and lifting only fills the lift fields once.
    Reader accounts will be matched here too once they exist; for now a commenter is
    their email (moderation.trust.commenter_key).
    """

    class Kind(models.TextChoices):
        BAN = "ban", "Ban"
        SUSPENSION = "suspension", "Suspension"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    # Exactly one of the two: one address, or every address at a domain and its subdomains.
    match_email = models.EmailField(blank=True, db_index=True)
    match_domain = models.CharField(max_length=253, blank=True, db_index=True)
    # A suspension ends here by itself; a ban has no end.
    until = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(max_length=SANCTION_REASON_MAX_LENGTH)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    lift_reason = models.TextField(max_length=SANCTION_REASON_MAX_LENGTH, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "ban or suspension"
        verbose_name_plural = "bans and suspensions"
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["ban", "suspension"]), name="sanction_kind_valid"
            ),
            models.CheckConstraint(
                condition=(Q(match_email="") & ~Q(match_domain=""))
                | (~Q(match_email="") & Q(match_domain="")),
                name="sanction_matches_email_or_domain",
            ),
            models.CheckConstraint(
                condition=Q(kind="ban", until__isnull=True)
                | Q(kind="suspension", until__isnull=False),
                name="sanction_until_only_for_suspensions",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="sanction_reason_not_empty"),
            # Two moderators banning the same commenter at once make one ban, not two.
            models.UniqueConstraint(
                fields=["match_email", "match_domain"],
                condition=Q(kind="ban", lifted_at__isnull=True),
                name="sanction_one_ban_in_force",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.target}"

    @property
    def target(self) -> str:
        return self.match_email or f"@{self.match_domain}"

    def is_active(self, at: datetime | None = None) -> bool:
        at = at or timezone.now()
        return self.lifted_at is None and (self.until is None or self.until > at)

    @property
    def state(self) -> str:
        if self.lifted_at is not None:
            return "lifted"
        return "active" if self.is_active() else "expired"

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValueError("Sanctions are kept as the record of who imposed and lifted them.")


class CommentSignature(models.Model):
    """One LSH band hash of a scored comment's near-duplicate signature
    (moderation.campaigns.signature): comments sharing a band are candidate copies.

    Kept for the campaign window, then pruned; those of a dismissed cluster's members
    are kept (`dismissed`) so that its later copies are recognised and not held.
    """

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="+")
    band = models.PositiveSmallIntegerField()
    hash = models.BigIntegerField()
    created_at = models.DateTimeField()
    dismissed = models.BooleanField(default=False)

    class Meta:
        indexes = [
            # Band hashes carry their band (signature._band_hash): one IN list finds them.
            models.Index(fields=["hash", "created_at"], name="signature_hash_lookup"),
            models.Index(fields=["created_at"], name="signature_created"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["comment", "band"], name="signature_one_per_band")
        ]

    def __str__(self) -> str:
        return f"Comment {self.comment_id} band {self.band}"


class CommentCluster(models.Model):
    """Near-identical comments from different authors within the campaign window.

    Over the threshold (CAMPAIGN_MIN_SIZE comments, CAMPAIGN_MIN_AUTHORS authors) it
    holds its new members and shows in the desk as one campaign.
    """

    class State(models.TextChoices):
        OPEN = "open", "Open"
        CONFIRMED = "confirmed", "Confirmed"
        DISMISSED = "dismissed", "Not a campaign"

    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    size = models.PositiveIntegerField(default=0)
    # Distinct authors among the members (by email, else name and IP prefix), counted
    # from the comments each time the cluster grows: it keeps no personal data itself.
    authors = models.PositiveIntegerField(default=0)
    first_seen = models.DateTimeField()
    last_seen = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "campaign"
        ordering = ["-last_seen", "-id"]
        indexes = [models.Index(fields=["state", "-last_seen"], name="cluster_state_seen")]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["open", "confirmed", "dismissed"]),
                name="cluster_state_valid",
            )
        ]

    def __str__(self) -> str:
        return f"Campaign {self.pk}: {self.size} comments from {self.authors} authors"

    @property
    def is_campaign(self) -> bool:
        """Over the threshold and not dismissed: its new members are held."""
        return (
            self.state != self.State.DISMISSED
            and self.size >= settings.CAMPAIGN_MIN_SIZE
            and self.authors >= settings.CAMPAIGN_MIN_AUTHORS
        )

    @property
    def reason(self) -> str:
        """Why its members are held, in the moderators' words."""
        minutes = max(1, round((self.last_seen - self.first_seen).total_seconds() / 60))
        return (
            f"campaign: {self.size} near-identical comments from {self.authors} authors "
            f"in {minutes} min"
        )


class CommentClusterMember(models.Model):
    """A comment's place in a cluster (at most one), and whether the cluster held it."""

    cluster = models.ForeignKey(CommentCluster, on_delete=models.CASCADE, related_name="members")
    comment = models.OneToOneField(
        Comment, on_delete=models.CASCADE, related_name="cluster_membership"
    )
    held = models.BooleanField(default=False)
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["comment__created_at", "comment_id"]

    def __str__(self) -> str:
        return f"Comment {self.comment_id} in campaign {self.cluster_id}"


# --- Mail to readers: addresses, opt-ins and the delivery log ----------------------------


class MailKind(models.TextChoices):
    """What a mail to a reader is about. The reader may turn off each kind they opted in
    to (MUTABLE_MAIL_KINDS); the confirmation, notices and decisions on appeals are not
    subscriptions but answers to something the reader did."""

    CONFIRM = "confirm", _("Confirm your address")
    REPLY = "reply", _("Replies to your comments")
    DECISION = "decision", _("Decisions on your comments")
    CORRECTION = "correction", _("Corrections you asked for")
    STATEMENT = "statement", _("Statement of reasons")
    NOTICE_RECEIVED = "notice_received", _("Your notice was received")
    APPEAL_OUTCOME = "appeal_outcome", _("Outcome of an appeal")


MUTABLE_MAIL_KINDS = (MailKind.REPLY, MailKind.DECISION, MailKind.CORRECTION)
# A statement of reasons is the decision mail of a rejection: turning decisions off
# turns it off too.
MAIL_KIND_MUTED_AS: dict[str, str] = {MailKind.STATEMENT: MailKind.DECISION}


class MailRecipient(models.Model):
    """An address a reader asked us to write to.

    Nothing but the confirmation request goes to it until the reader follows the link in
    that mail (double opt-in): the forms cannot be used to mail a stranger. Kinds the
    reader turned off are listed in `muted_kinds`.
    """

    email = models.EmailField(unique=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # At most one confirmation request a day per address (MAIL_CONFIRM_RESEND_HOURS).
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    muted_kinds = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "mail recipient"

    def __str__(self) -> str:
        return self.email

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    def wants(self, kind: str) -> bool:
        """Whether mail of this kind may go to the address now."""
        return self.is_confirmed and kind not in self.muted_kinds


class MailSubscription(models.Model):
    """A reader's opt-in, ticked on the form: for a comment (replies to it and the
    decision on it) or for a correction request (the correction, once published)."""

    recipient = models.ForeignKey(
        MailRecipient, on_delete=models.CASCADE, related_name="subscriptions"
    )
    comment = models.OneToOneField(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="mail_subscription"
    )
    correction_request = models.OneToOneField(
        "articles.CorrectionRequest",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="mail_subscription",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(comment__isnull=False) ^ Q(correction_request__isnull=False),
                name="mail_subscription_one_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} on {self.comment_id or self.correction_request_id}"


class MailNotification(models.Model):
    """One mail to a reader and what became of it (the delivery log).

    Replies wait until `due_at` so that several arriving within the digest window go out
    as one mail; everything else is due at once.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        # Not sent: the address was unconfirmed or had turned this kind off by then.
        SKIPPED = "skipped", "Skipped"

    ERROR_MAX_LENGTH = 300

    recipient = models.ForeignKey(
        MailRecipient, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=MailKind.choices)
    # The comment the mail is about: the reply, or the reader's own comment.
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    notice = models.ForeignKey(
        "IllegalContentNotice", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # The decision a statement of reasons or an appeal's outcome explains.
    event = models.ForeignKey(
        ModerationEvent, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=ERROR_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["recipient", "kind", "status"], name="mailnote_recipient_kind"),
        ]
        constraints = [
            # A comment's decision or a reply is mailed once, however often a signal fires.
            models.UniqueConstraint(
                fields=["recipient", "kind", "comment"],
                condition=Q(kind__in=["reply", "decision"]),
                name="mailnote_once_per_comment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.recipient}: {self.status}"


APPEAL_TEXT_MAX_LENGTH = 2000


class Appeal(models.Model):
    """An author's appeal against a decision on their comment: one per decision.

    Handled by someone other than the person who decided (moderation.appeals); a
    reversal publishes the comment through the services, as a person's decision.
    """

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Waiting for a moderator")
        UPHELD = "upheld", _("Decision upheld")
        REVERSED = "reversed", _("Decision reversed: the comment is published")

    comment = models.ForeignKey(Comment, on_delete=models.PROTECT, related_name="appeals")
    # The decision appealed against: once each.
    event = models.OneToOneField(ModerationEvent, on_delete=models.PROTECT, related_name="appeal")
    text = models.TextField(max_length=APPEAL_TEXT_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=["pending", "upheld", "reversed"]),
                name="appeal_outcome_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Appeal {self.reference} on comment {self.comment_id}"

    @property
    def reference(self) -> str:
        return f"A-{self.pk:06d}"


class IllegalContentNotice(models.Model):
    """A reader's notice that a comment is illegal: the law or reason they name, their
    explanation and, if they wish, their contact. It has a reference number, an
    acknowledgement mail, and a queue of its own in the desk."""

    class Status(models.TextChoices):
        NEW = "new", "New"
        ACTIONED = "actioned", "Comment removed"
        DISMISSED = "dismissed", "No action"

    LAW_MAX_LENGTH = 200
    EXPLANATION_MAX_LENGTH = 3000

    comment = models.ForeignKey(Comment, on_delete=models.PROTECT, related_name="notices")
    law = models.CharField(max_length=LAW_MAX_LENGTH)
    explanation = models.TextField(max_length=EXPLANATION_MAX_LENGTH)
    contact_name = models.CharField(max_length=COMMENT_NAME_MAX_LENGTH, blank=True)
    contact_email = models.EmailField(blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The first action taken on it: the "time to first action" of transparency reports.
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["new", "actioned", "dismissed"]),
                name="notice_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Notice {self.reference} on comment {self.comment_id}"

    @property
    def reference(self) -> str:
        return f"N-{self.pk:06d}"


# --- The author's edits and readers' recommendations ---------------------------------


class CommentRevision(models.Model):
    """The text a comment had before its author edited it, kept for moderators.

    A deletion by the author removes these with the body: the author asked for the text
    to go, and the events still say who did what and when.
    """

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField(max_length=COMMENT_BODY_MAX_LENGTH)
    # When this text was written (the comment's creation, or the edit before).
    written_at = models.DateTimeField()
    replaced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["comment", "replaced_at", "id"]

    def __str__(self) -> str:
        return f"Comment {self.comment_id} before {self.replaced_at:%Y-%m-%d %H:%M}"


class CommentReaction(models.Model):
    """One reader's "recommend" on one comment: known by their Reader when signed in,
    else by their browser session. The constraints make a second click count once."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reactions")
    # A signed-in reader's count follows them from browser to browser; else the session's.
    reader = models.ForeignKey(
        Reader, null=True, blank=True, on_delete=models.CASCADE, related_name="reactions"
    )
    session_key = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reader"],
                condition=Q(reader__isnull=False),
                name="reaction_once_per_reader",
            ),
            models.UniqueConstraint(
                fields=["comment", "session_key"],
                condition=Q(reader__isnull=True) & ~Q(session_key=""),
                name="reaction_once_per_session",
            ),
            models.CheckConstraint(
                condition=Q(reader__isnull=False) | ~Q(session_key=""),
                name="reaction_has_a_reader_or_session",
            ),
        ]

    def __str__(self) -> str:
        return f"Recommend on comment {self.comment_id}"


class FittedThreshold(models.Model):
    """A policy threshold re-fitted on the newsroom's own decided comments at each
    retrain, for the precision the editors chose on the model page.

    ``value`` stays empty until a fit reaches the target on enough decided comments;
    the policy then keeps the site's setting (moderation.policy.site_policy).
    """

    class Threshold(models.TextChoices):
        SPAM_REJECT = "spam_reject", "Auto-reject as spam"
        SPOILER_FLAG = "spoiler_flag", "Flag as a spoiler"

    threshold = models.CharField(max_length=20, choices=Threshold.choices, unique=True)
    target_precision = models.FloatField()
    value = models.FloatField(null=True, blank=True)
    precision = models.FloatField(null=True, blank=True)
    recall = models.FloatField(null=True, blank=True)
    n_decided = models.PositiveIntegerField(default=0)
    n_positive = models.PositiveIntegerField(default=0)
    # [{"threshold": 0.9, "precision": 0.97, "recall": 0.6, "flagged": 40}, ...]
    table = models.JSONField(default=list, blank=True)
    model_version = models.CharField(max_length=64, blank=True)
    fitted_at = models.DateTimeField(null=True, blank=True)
    target_set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target_set_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(target_precision__gte=0.5, target_precision__lte=1),
                name="fitted_threshold_target_range",
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0, value__lte=1),
                name="fitted_threshold_value_range",
            ),
        ]

    def __str__(self) -> str:
        value = "not fitted" if self.value is None else f"{self.value:g}"
        return f"{self.get_threshold_display()}: {value}"
