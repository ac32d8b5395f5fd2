"""Articles readers comment on, the corrections readers ask for and editors publish."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify


class CommentMode(models.TextChoices):
    OPEN = "open", "Open"
    PREMODERATED = "premoderated", "Premoderated"
    CLOSED = "closed", "Closed"


def _threshold_field(help_text: str) -> models.FloatField:
    return models.FloatField(
        null=True,
        blank=True,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text=help_text + " Empty: the site's.",
    )


class SectionManager(models.Manager["Section"]):
    def named(self, name: str) -> "Section":
        """The section called `name`, made (with its slug) if there is none yet."""
        section, _ = self.get_or_create(slug=slugify(name)[:60], defaults={"name": name})
        return section


class Section(models.Model):
    """A part of the site with its own moderation policy; every field left empty falls
    back to the site's (moderation.policy.site_policy)."""

    name = models.CharField(max_length=60)
    slug = models.SlugField(max_length=60, unique=True)
    spam_reject = _threshold_field("Spam score from which a comment is hidden as spam.")
    spam_hold = _threshold_field("Spam score from which a comment is held for a person.")
    spoiler_flag = _threshold_field("Spoiler score from which a comment is flagged.")
    comment_mode = models.CharField(
        max_length=20,
        choices=CommentMode.choices,
        blank=True,
        help_text="Comment mode new articles in this section start with. Empty: open.",
    )
    auto_close_days = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="Close comments this many days after an article is published. Empty: never.",
    )
    hold_links = models.BooleanField(
        null=True,
        blank=True,
        help_text="Hold comments with a link for review. Empty: the site's (links allowed).",
    )
    moderators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="moderated_sections",
        help_text="Moderators who may act here. None named: every moderator.",
    )

    objects = SectionManager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(spam_reject__isnull=True)
                | Q(spam_reject__gte=0.0, spam_reject__lte=1.0),
                name="section_spam_reject_range",
            ),
            models.CheckConstraint(
                condition=Q(spam_hold__isnull=True) | Q(spam_hold__gte=0.0, spam_hold__lte=1.0),
                name="section_spam_hold_range",
            ),
            models.CheckConstraint(
                condition=Q(spoiler_flag__isnull=True)
                | Q(spoiler_flag__gte=0.0, spoiler_flag__lte=1.0),
                name="section_spoiler_flag_range",
            ),
            models.CheckConstraint(
                condition=Q(comment_mode__in=["", "open", "premoderated", "closed"]),
                name="section_comment_mode_valid",
            ),
            models.CheckConstraint(
                condition=Q(auto_close_days__isnull=True) | Q(auto_close_days__gte=1),
                name="section_auto_close_days_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """The thresholds must work together once laid over the site's: hold at or
        below reject, wherever each comes from."""
        from moderation.policy import THRESHOLDS, PolicyError
        from moderation.section_policy import section_policy

        values = [getattr(self, name) for name in THRESHOLDS]
        if any(v is not None and not 0.0 <= v <= 1.0 for v in values):
            return  # the field's own validator says so
        try:
            section_policy(self)
        except PolicyError as error:
            raise ValidationError({"spam_hold": str(error)}) from None

    @property
    def new_article_comment_mode(self) -> str:
        """The comment mode an article starts with here (the site's default: open)."""
        return self.comment_mode or CommentMode.OPEN


class SiteManager(models.Manager["Site"]):
    DEFAULT_SLUG = "default"

    def default(self) -> "Site":
        """The site articles belong to when none is named: the only one in `make run`."""
        site, _ = self.get_or_create(slug=self.DEFAULT_SLUG, defaults={"name": "Default site"})
        return site


def default_site_id() -> int:
    """The default site's id, for Article.site's default.

    Reads the id alone, so migrations (which create the site first) can call it whatever
    columns later migrations add to sites.
    """
    pk = Site.objects.filter(slug=SiteManager.DEFAULT_SLUG).values_list("pk", flat=True).first()
    return pk if pk is not None else Site.objects.default().pk


class Site(models.Model):
    """A publication whose pages carry the comments: who may embed them, how its readers
    sign in, and whether they may comment without signing in."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=60, unique=True)
    allowed_origins = models.JSONField(
        default=list,
        blank=True,
        help_text='Origins whose pages may embed the comments, e.g. ["https://www.example.com"].',
    )
    sso_secret = models.CharField(
        max_length=200,
        blank=True,
        help_text="Shared secret the publisher signs reader tokens with (HS256). Empty: no SSO.",
    )
    allow_anonymous = models.BooleanField(
        default=True, help_text="Readers may comment without being signed in by the publisher."
    )
    auto_create_articles = models.BooleanField(
        default=False,
        help_text="An embed naming an unknown article creates it from the page's URL and title.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = SiteManager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        origins = self.allowed_origins
        if not isinstance(origins, list) or not all(isinstance(o, str) for o in origins):
            raise ValidationError({"allowed_origins": "A list of origins, as strings."})
        bad = [o for o in origins if normalise_origin(o) != o]
        if bad:
            raise ValidationError(
                {"allowed_origins": f"Not an origin (scheme://host[:port]): {', '.join(bad)}"}
            )

    def allows_origin(self, origin: str) -> bool:
        return bool(origin) and normalise_origin(origin) in self.allowed_origins


def normalise_origin(origin: str) -> str:
    """`scheme://host[:port]` in lower case, or "" for anything else (paths, userinfo)."""
    parts = urlsplit(origin.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return ""
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username:
        return ""
    try:
        port = parts.port
    except ValueError:
        return ""
    host = parts.hostname.lower()
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    return f"{parts.scheme}://{host}" + (f":{port}" if port else "")


class Article(models.Model):
    CommentMode = CommentMode

    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="articles", default=default_site_id
    )
    slug = models.SlugField(max_length=200, unique=True)
    # The publisher's own id for the article (its CMS's), unique per site; blank for
    # articles written in our admin only.
    external_id = models.CharField(max_length=200, blank=True)
    url = models.URLField(max_length=500, blank=True, help_text="The article's canonical URL.")
    language = models.CharField(max_length=10, default="en", help_text="e.g. en, uk, ru.")
    title = models.CharField(max_length=300)
    standfirst = models.TextField(blank=True)
    # Paragraphs are separated by blank lines; correction requests point at them by index.
    body = models.TextField()
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="articles")
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
            models.UniqueConstraint(
                fields=["site", "external_id"],
                condition=~Q(external_id=""),
                name="article_external_id_unique_per_site",
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
    reader = models.ForeignKey(
        "Reader",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="correction_requests",
    )
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


class Reader(models.Model):
    """A person known to the service: signed in by the publisher (an SSO subject), or an
    anonymous name with an optional email. Comments, reports and correction requests point
    at their reader where there is one, so export and erasure work by reader too."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="readers")
    # The publisher's stable user id; blank for a reader who is not signed in.
    sso_subject = models.CharField(max_length=200, blank=True)
    display_name = models.CharField(max_length=120)
    # Never shown publicly.
    email = models.EmailField(blank=True)
    email_confirmed_at = models.DateTimeField(null=True, blank=True)
    avatar_url = models.URLField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["display_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "sso_subject"],
                condition=~Q(sso_subject=""),
                name="reader_sso_subject_unique_per_site",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def is_verified(self) -> bool:
        """Signed in by the publisher, whose word for the name we take."""
        return bool(self.sso_subject)
