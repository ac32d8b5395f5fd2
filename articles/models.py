"""Articles readers comment on, the corrections readers ask for and editors publish."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


class Article(models.Model):
    class CommentMode(models.TextChoices):
        OPEN = "open", "Open"
        PREMODERATED = "premoderated", "Premoderated"
        CLOSED = "closed", "Closed"

    slug = models.SlugField(max_length=200, unique=True)
    title = models.CharField(max_length=300)
    standfirst = models.TextField(blank=True)
    # Paragraphs are separated by blank lines; correction requests point at them by index.
    body = models.TextField()
    section = models.CharField(max_length=60, db_index=True)
    author = models.CharField(max_length=120)
    published_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    comment_mode = models.CharField(
        max_length=20, choices=CommentMode.choices, default=CommentMode.OPEN
    )
    # Articles are archived, never deleted: their comments and the moderation trail on
    # them stay. An archived article is gone from the reader pages and the public API.
    archived_at = models.DateTimeField(null=True, blank=True)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-published_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(comment_mode__in=["open", "premoderated", "closed"]),
                name="article_comment_mode_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("articles:detail", kwargs={"slug": self.slug})

    @property
    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.body.split("\n\n") if p.strip()]

    @property
    def accepts_comments(self) -> bool:
        return self.comment_mode != self.CommentMode.CLOSED


class Correction(models.Model):
    """A published correction, shown at the foot of its article and on the corrections page."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    text = models.TextField(max_length=2000)
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-published_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="correction_text_not_empty"),
        ]

    def __str__(self) -> str:
        return f"Correction to {self.article}: {self.text[:60]}"


class CorrectionRequest(models.Model):
    """A reader's report of an error in an article, optionally quoting the words."""

    class Status(models.TextChoices):
        NEW = "new", "New"
        IN_PROGRESS = "in_progress", "In progress"
        RESOLVED = "resolved", "Resolved"
        REJECTED = "rejected", "Rejected"
        DUPLICATE = "duplicate", "Duplicate"

    QUOTE_MAX_LENGTH = 1000
    CONTEXT_MAX_LENGTH = 200
    SUGGESTION_MAX_LENGTH = 2000

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="correction_requests"
    )
    # The article's updated_at when the reader read it: the quote refers to that text.
    article_updated_at = models.DateTimeField()
    # The quoted paragraph as the reader saw it, so the desk can show it after edits.
    paragraph_text = models.TextField(blank=True)
    quote = models.TextField(max_length=QUOTE_MAX_LENGTH, blank=True)
    prefix = models.TextField(max_length=CONTEXT_MAX_LENGTH, blank=True)
    suffix = models.TextField(max_length=CONTEXT_MAX_LENGTH, blank=True)
    paragraph_index = models.PositiveIntegerField(null=True, blank=True)
    offset = models.PositiveIntegerField(null=True, blank=True)
    suggestion = models.TextField(max_length=SUGGESTION_MAX_LENGTH)
    email = models.EmailField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    correction = models.ForeignKey(
        Correction, null=True, blank=True, on_delete=models.SET_NULL, related_name="requests"
    )
    note = models.TextField(blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"], name="corrreq_status_created")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["new", "in_progress", "resolved", "rejected", "duplicate"]),
                name="correction_request_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(suggestion=""), name="correction_request_suggestion_not_empty"
            ),
        ]

    def __str__(self) -> str:
        quote = f"“{self.quote[:40]}”" if self.quote else "(no quote)"
        return f"{self.article} {quote}"


class CorrectionThanks(models.Model):
    """The email thanking a reader whose request a published correction resolved, and
    what became of it: queued when the correction is published, then sent, or failed
    once its retries ran out (articles.tasks.send_correction_thanks)."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    ERROR_MAX_LENGTH = 300

    # One per reader and correction. The address is read from the request when the mail
    # goes out, so an erasure in between leaves nothing to send and nothing stored here.
    request = models.OneToOneField(
        CorrectionRequest, on_delete=models.CASCADE, related_name="thanks"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=ERROR_MAX_LENGTH, blank=True)
    queued_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "thank-you email"
        verbose_name_plural = "thank-you emails"
        ordering = ["-queued_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "sent", "failed"]),
                name="correction_thanks_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Thanks for request {self.request_id}: {self.status}"
