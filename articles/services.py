"""Writes for articles, correction requests and published corrections."""

import hashlib
import logging
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast
from urllib.parse import urlsplit

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language_info, gettext_lazy
from django.utils.translation import gettext as _

from articles.article_html import UnsafeHtml, article_body
from articles.feeds import FeedError, fetch_feed, read_feed
from articles.language import article_language
from articles.models import (
    CORRECTION_TEXT_MAX_LENGTH,
    Article,
    CommentMode,
    Correction,
    CorrectionRequest,
    CorrectionRevision,
    CorrectionThanks,
    Reader,
    Section,
    Site,
)
from articles.quoting import anchor_quote
from articles.signals import correction_published, correction_request_created
from articles.sso import ReaderClaims
from moderation.comment_list_cache import published_comments_changed
from moderation.mail_messages import mail_message
from moderation.models import MailKind, MailSubscription
from moderation.notifications import mail_opt_in
from moderation.queueing import publish_quietly
from moderation.services import NOTIFY_NEEDS_EMAIL
from moderation.signals import send_after_commit
from newsroom.lib.text import clean_text

logger = logging.getLogger(__name__)
ReqStatus = CorrectionRequest.Status
OPEN_STATUSES = (ReqStatus.NEW, ReqStatus.IN_PROGRESS)
ThanksStatus = CorrectionThanks.Status

SEND_CORRECTION_THANKS = "articles.tasks.send_correction_thanks"
# Where articles made from a publisher's page wait until an editor or the CMS files them.
PAGE_ARTICLES_SECTION = "From the site"
# What a mail server that is down or refuses looks like (smtplib's errors are OSErrors).
MAIL_ERRORS: tuple[type[Exception], ...] = (OSError,)


class CorrectionRequestConflict(Exception):
    """The request is no longer in a state that allows this action."""

    def __init__(self, request: CorrectionRequest) -> None:
        super().__init__(f"Correction request {request.pk} is {request.status}.")
        self.request = request


def article_create(*, section: Section, comment_mode: str = "", **fields: Any) -> Article:
    """A new article; its comments start as its section says unless a mode is given."""
    article = Article(section=section, **fields)
    article.comment_mode = comment_mode or section.new_article_comment_mode
    article.full_clean()
    article.save()
    return article


def articles_auto_close(*, now: datetime | None = None) -> int:
    """Close comments on articles older than their section's auto-close limit.

    One conditional UPDATE per section with a limit: an article already closed is left
    alone, so a rerun (or two beats at once) closes nothing twice. Returns how many
    articles this call closed.
    """
    now = now or timezone.now()
    closed = 0
    for section in Section.objects.filter(auto_close_days__isnull=False).only(
        "pk", "auto_close_days"
    ):
        cutoff = now - timedelta(days=cast(int, section.auto_close_days))
        closed += (
            Article.objects.filter(section=section, published_at__lte=cutoff)
            .exclude(comment_mode=CommentMode.CLOSED)
            .update(comment_mode=CommentMode.CLOSED, updated_at=now)
        )
    if closed:
        logger.info("Closed comments on %d article(s) past their section's limit.", closed)
    return closed


def article_archive(*, article_id: int, actor: AbstractBaseUser | None) -> Article:
    """Take an article off the reader pages and the public API, keeping it whole.

    Articles are never deleted: their comments and the moderation trail on them are
    the record of what readers wrote and what the newsroom decided (the foreign keys
    refuse a delete). Archiving an archived article changes nothing.
    """
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article_id)
        if article.archived_at is None:
            article.archived_at = timezone.now()
            article.archived_by = actor  # type: ignore[assignment]
            article.save(update_fields=["archived_at", "archived_by"])
            published_comments_changed(article.pk)
    return article


def article_restore(*, article_id: int) -> Article:
    """Put an archived article back on the reader pages."""
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article_id)
        if article.archived_at is not None:
            article.archived_at = None
            article.archived_by = None
            article.save(update_fields=["archived_at", "archived_by"])
            published_comments_changed(article.pk)
    return article


def _check_length(errors: dict[str, list[str]], field: str, value: str, limit: int) -> None:
    if len(value) > limit:
        errors[field] = [_("At most %(limit)d characters.") % {"limit": limit}]


QUOTE_NOT_FOUND = gettext_lazy(
    "We could not find these words in the article; it may have been updated since you "
    "opened it. Reload the page and select them again."
)


def correction_request_submit(
    *,
    article: Article,
    suggestion: str,
    quote: str = "",
    paragraph_index: int | None = None,
    offset: int | None = None,
    email: str = "",
    ip_address: str | None = None,
    reader: Reader | None = None,
    notify: bool = False,
) -> CorrectionRequest:
    """Record a reader's correction request against the article as they read it.

    The quote is anchored in the server's own copy of the article (articles.quoting):
    the paragraph and offset the reader sent are only hints, and the context stored
    around the quote is the server's, whoever the client was.
    """
    suggestion = clean_text(suggestion)
    quote = clean_text(quote)
    email = clean_text(email).lower()
    errors: dict[str, list[str]] = {}
    if not suggestion:
        errors["suggestion"] = [_("Tell us what is wrong and what it should say.")]
    _check_length(errors, "suggestion", suggestion, CorrectionRequest.SUGGESTION_MAX_LENGTH)
    _check_length(errors, "quote", quote, CorrectionRequest.QUOTE_MAX_LENGTH)
    paragraphs = article.paragraphs
    if paragraph_index is not None and not 0 <= paragraph_index < len(paragraphs):
        errors["paragraph_index"] = [
            _("The article has %(count)d paragraphs.") % {"count": len(paragraphs)}
        ]
    anchor = None
    if quote and "quote" not in errors:
        anchor = anchor_quote(paragraphs, quote, paragraph_index=paragraph_index, offset=offset)
        if anchor is None:
            errors["quote"] = [str(QUOTE_NOT_FOUND)]
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = [_("Enter a valid email address, or leave it empty.")]
    elif notify:
        errors["email"] = [str(NOTIFY_NEEDS_EMAIL)]
    if errors:
        raise ValidationError(errors)
    if anchor is not None:
        paragraph_index = anchor.paragraph_index
    with transaction.atomic():
        request = CorrectionRequest.objects.create(
            article=article,
            article_updated_at=article.updated_at,
            paragraph_text=paragraphs[paragraph_index] if paragraph_index is not None else "",
            quote=quote,
            prefix=anchor.prefix if anchor else "",
            suffix=anchor.suffix if anchor else "",
            paragraph_index=paragraph_index,
            # Without a quote there is nothing to point at within the paragraph.
            offset=anchor.offset if anchor else None,
            suggestion=suggestion,
            email=email,
            ip_address=ip_address,
            reader=reader,
        )
        if notify:
            mail_opt_in(email=email, correction_request=request)
    send_after_commit(correction_request_created, request_ids=[request.pk])
    return request


def _close(
    request: CorrectionRequest,
    *,
    actor: AbstractBaseUser,
    to_status: str,
    allowed_from: tuple[str, ...] = OPEN_STATUSES,
    **fields: object,
) -> CorrectionRequest:
    """Move a request locked by the caller to `to_status`, recording who did it."""
    if request.status not in allowed_from:
        raise CorrectionRequestConflict(request)
    request.status = to_status
    request.handled_by = actor  # type: ignore[assignment]
    request.handled_at = timezone.now()
    for name, value in fields.items():
        setattr(request, name, value)
    request.save()
    return request


def _transition(
    *,
    request_id: int,
    actor: AbstractBaseUser,
    to_status: str,
    allowed_from: tuple[str, ...] = OPEN_STATUSES,
    **fields: object,
) -> CorrectionRequest:
    with transaction.atomic():
        request = CorrectionRequest.objects.select_for_update().get(pk=request_id)
        return _close(
            request, actor=actor, to_status=to_status, allowed_from=allowed_from, **fields
        )


def correction_request_start(*, request_id: int, actor: AbstractBaseUser) -> CorrectionRequest:
    return _transition(
        request_id=request_id,
        actor=actor,
        to_status=ReqStatus.IN_PROGRESS,
        allowed_from=(ReqStatus.NEW,),
    )


def correction_request_reject(
    *, request_id: int, actor: AbstractBaseUser, note: str = ""
) -> CorrectionRequest:
    return _transition(
        request_id=request_id, actor=actor, to_status=ReqStatus.REJECTED, note=clean_text(note)
    )


def _repeats(original: CorrectionRequest, request_id: int) -> bool:
    """Whether `original` already leads, through its duplicate_of chain, back to the request."""
    seen: set[int] = set()
    current: CorrectionRequest | None = original
    while current is not None and current.pk not in seen:
        if current.pk == request_id:
            return True
        seen.add(current.pk)
        current = current.duplicate_of
    return False


def correction_request_mark_duplicate(
    *, request_id: int, actor: AbstractBaseUser, duplicate_of_id: int
) -> CorrectionRequest:
    """Close the request as a repeat of another open request of the same article.

    Both rows are locked (in id order, so two editors marking each other's requests
    cannot deadlock) and checked under the lock: a target that was closed meanwhile, or
    that leads back to the request, is refused, and nothing is written.
    """
    with transaction.atomic():
        rows = {
            row.pk: row
            for row in CorrectionRequest.objects.select_for_update()
            .filter(pk__in={request_id, duplicate_of_id})
            .order_by("pk")
        }
        request = rows.get(request_id)
        if request is None:
            raise CorrectionRequest.DoesNotExist(f"No correction request {request_id}.")
        if request.status not in OPEN_STATUSES:
            raise CorrectionRequestConflict(request)
        original = rows.get(duplicate_of_id)
        if (
            original is None
            or original.pk == request_id
            or original.article_id != request.article_id
        ):
            raise ValidationError({"duplicate_of": ["Choose another request of the same article."]})
        if original.status not in OPEN_STATUSES:
            raise ValidationError(
                {
                    "duplicate_of": [
                        f"Request #{original.pk} is {original.get_status_display().lower()}; "
                        "choose an open request."
                    ]
                }
            )
        if _repeats(original, request_id):
            raise ValidationError(
                {"duplicate_of": [f"Request #{original.pk} already leads back to this one."]}
            )
        return _close(request, actor=actor, to_status=ReqStatus.DUPLICATE, duplicate_of=original)


def _correction_text(text: str, field: str = "text") -> str:
    text = clean_text(text)
    if not text:
        raise ValidationError({field: ["Write the correction to publish."]})
    if len(text) > CORRECTION_TEXT_MAX_LENGTH:
        raise ValidationError({field: [f"At most {CORRECTION_TEXT_MAX_LENGTH} characters."]})
    return text


def correction_publish(*, article: Article, text: str, actor: AbstractBaseUser) -> Correction:
    text = _correction_text(text)
    # The actor is an instance of AUTH_USER_MODEL; the stubs type the FK as User.
    return Correction.objects.create(article=article, text=text, published_by=actor)  # type: ignore[misc]


@dataclass(frozen=True)
class Resolution:
    """What resolving a request (and the others reporting the same passage) did."""

    correction: Correction
    # The request resolved first, then the others resolved with it.
    resolved: list[CorrectionRequest]
    # Others that were no longer open, or belong to another article: left as they were.
    left: list[int]
    # One thank-you email per reader who left an address, queued to go once committed.
    thanks: list[CorrectionThanks]

    @property
    def thanked(self) -> int:
        return len(self.thanks)


def correction_request_resolve(
    *, request_id: int, actor: AbstractBaseUser, correction_text: str
) -> CorrectionRequest:
    """Publish a correction for the request and thank the reader if they left an email."""
    resolution = correction_requests_resolve(
        request_id=request_id, actor=actor, correction_text=correction_text
    )
    return resolution.resolved[0]


def correction_requests_resolve(
    *,
    request_id: int,
    actor: AbstractBaseUser,
    correction_text: str,
    also: Collection[int] = (),
) -> Resolution:
    """Publish one correction for a request and for the open requests `also` names
    (readers who reported the same error), and queue a thank-you email to every reader
    who left an address: one each, sent by a worker after the commit, never here.

    All or nothing for the correction and the first request; another request that was
    closed meanwhile, or is of another article, is left as it is and reported.
    """
    with transaction.atomic():
        request = CorrectionRequest.objects.select_for_update().get(pk=request_id)
        if request.status not in OPEN_STATUSES:
            raise CorrectionRequestConflict(request)
        correction = correction_publish(article=request.article, text=correction_text, actor=actor)
        others = list(
            CorrectionRequest.objects.select_for_update()
            .filter(pk__in=set(also) - {request_id}, article_id=request.article_id)
            .filter(status__in=OPEN_STATUSES)
            .order_by("pk")
        )
        resolved = [
            _close(r, actor=actor, to_status=ReqStatus.RESOLVED, correction=correction)
            for r in [request, *others]
        ]
        thanks = [CorrectionThanks.objects.create(request=r) for r in readers_to_thank(resolved)]
        ids = [t.pk for t in thanks]
        if ids:
            transaction.on_commit(lambda: _queue_thanks(ids))
        send_after_commit(
            correction_published,
            correction_id=correction.pk,
            request_ids=[r.pk for r in resolved],
        )
    done = {r.pk for r in resolved}
    return Resolution(
        correction=correction,
        resolved=resolved,
        left=sorted(pk for pk in set(also) if pk not in done),
        thanks=thanks,
    )


def _queue_thanks(thanks_ids: list[int]) -> None:
    for thanks_id in thanks_ids:
        if not publish_quietly(SEND_CORRECTION_THANKS, thanks_id):
            CorrectionThanks.objects.filter(pk=thanks_id, status=ThanksStatus.QUEUED).update(
                status=ThanksStatus.FAILED, error="Not queued: the broker was unreachable."
            )


def _wants_correction_mail(request: CorrectionRequest) -> bool:
    """The reader ticked the box on their request, confirmed the address and has not
    turned these mails off since (double opt-in, as every mail to readers)."""
    subscription = MailSubscription.objects.filter(correction_request=request).first()
    return subscription is not None and subscription.recipient.wants(MailKind.CORRECTION)


def readers_to_thank(requests: list[CorrectionRequest]) -> list[CorrectionRequest]:
    """The requests whose readers a correction is mailed to: those who asked to be told,
    and a reader who wrote in twice once, for the first of their requests."""
    first_by_email: dict[str, CorrectionRequest] = {}
    for request in requests:
        if request.email and _wants_correction_mail(request):
            first_by_email.setdefault(request.email, request)
    return list(first_by_email.values())


def _thanks_message(request: CorrectionRequest) -> EmailMultiAlternatives:
    """The thank-you email, text and HTML, to this reader alone."""
    subscription = MailSubscription.objects.select_related("recipient").get(
        correction_request=request
    )
    return mail_message(
        template="correction",
        kind=MailKind.CORRECTION,
        recipient=subscription.recipient,
        context={"article": request.article, "correction": request.correction},
        # In the article's language: the reader wrote in about the article as they read it.
        language=article_language(request.article),
    )


def correction_thanks_send(*, thanks_id: int, last_attempt: bool = True) -> CorrectionThanks | None:
    """Send one reader's thank-you email and record what happened.

    Sent at most once: the row is locked while sending, and a task delivered again
    finds it sent (or failed) and stops. A mail server that fails is recorded and the
    error raised, for the task to retry; on the last attempt the email is marked failed.
    None when there is no such email (its request is gone).
    """
    error: Exception | None = None
    with transaction.atomic():
        thanks = (
            CorrectionThanks.objects.select_for_update(of=("self",))
            .select_related("request__article", "request__correction")
            .filter(pk=thanks_id)
            .first()
        )
        if thanks is None or thanks.status != ThanksStatus.QUEUED:
            return thanks
        request = thanks.request
        outcome: dict[str, object] = {"status": ThanksStatus.SENT, "sent_at": timezone.now()}
        if not request.email or request.correction is None:
            # Erased at the reader's request, or the correction withdrawn, since queued.
            outcome = {"status": ThanksStatus.FAILED, "error": "Nothing to send any more."}
        elif not _wants_correction_mail(request):
            outcome = {"status": ThanksStatus.FAILED, "error": "Turned off by the reader."}
        else:
            try:
                _thanks_message(request).send()
            except MAIL_ERRORS as failure:
                error = failure
                outcome = {
                    "status": ThanksStatus.FAILED if last_attempt else ThanksStatus.QUEUED,
                    "error": (str(failure) or type(failure).__name__)[
                        : CorrectionThanks.ERROR_MAX_LENGTH
                    ],
                }
        CorrectionThanks.objects.filter(pk=thanks_id).update(attempts=F("attempts") + 1, **outcome)
        thanks.refresh_from_db()
    if error is not None:
        raise error
    return thanks


CORRECTION_WITHDRAWN = "This correction was withdrawn; it can no longer be changed."


def _locked_published(correction_id: int) -> Correction:
    correction = Correction.objects.select_for_update().filter(pk=correction_id).first()
    if correction is None:
        raise ValidationError({"correction": ["No such correction."]})
    if correction.withdrawn_at is not None:
        raise ValidationError({"correction": [CORRECTION_WITHDRAWN]})
    return correction


def _record_revision(
    correction: Correction, *, kind: str, actor: AbstractBaseUser, **change: str
) -> datetime:
    """Keep the published text as it stood, with who changed it and when."""
    now = timezone.now()
    CorrectionRevision.objects.create(  # type: ignore[misc]  # actor: AUTH_USER_MODEL
        correction=correction,
        kind=kind,
        old_text=correction.text,
        created_by=actor,
        created_at=now,
        **change,
    )
    return now


def correction_amend(*, correction_id: int, text: str, actor: AbstractBaseUser) -> Correction:
    """A new revision of a published correction: the old text is kept with who changed
    it and when, and the article shows the correction as updated."""
    text = _correction_text(text)
    with transaction.atomic():
        correction = _locked_published(correction_id)
        if text == correction.text:
            raise ValidationError({"text": ["The new text is the same as the published one."]})
        correction.amended_at = _record_revision(
            correction, kind=CorrectionRevision.Kind.AMENDED, actor=actor, new_text=text
        )
        correction.text = text
        correction.save(update_fields=["text", "amended_at"])
    return correction


def correction_withdraw(*, correction_id: int, reason: str, actor: AbstractBaseUser) -> Correction:
    """Take a published correction back, saying why; its text stays on the record."""
    reason = clean_text(reason)
    if not reason:
        raise ValidationError({"reason": ["Say why the correction is withdrawn."]})
    if len(reason) > CORRECTION_TEXT_MAX_LENGTH:
        raise ValidationError({"reason": [f"At most {CORRECTION_TEXT_MAX_LENGTH} characters."]})
    with transaction.atomic():
        correction = _locked_published(correction_id)
        correction.withdrawn_at = _record_revision(
            correction, kind=CorrectionRevision.Kind.WITHDRAWN, actor=actor, reason=reason
        )
        correction.withdrawn_reason = reason
        correction.save(update_fields=["withdrawn_at", "withdrawn_reason"])
    return correction


# --- Articles from a publisher's CMS, feed or export ------------------------------------

# Where a synced article goes when its CMS names no section.
DEFAULT_SECTION = "News"
# The text of an article, after HTML is reduced to paragraphs (a long read is ~60,000).
ARTICLE_BODY_MAX_LENGTH = 100_000
EXTERNAL_ID_MAX_LENGTH = 200


@dataclass(frozen=True)
class ArticleSync:
    """What an upsert did: created the article, changed these fields, or nothing."""

    article: Article
    created: bool
    changed: list[str]


def _language(code: str, errors: dict[str, list[str]]) -> str:
    code = clean_text(code).lower()
    try:
        get_language_info(code)
    except KeyError:
        errors["language"] = [f"{code!r} is not a language code Django knows (en, uk, ru, …)."]
    return code


def _unique_slug(title: str, *, site_id: int, external_id: str) -> str:
    """A slug for our own pages, from the title; made unique with the publisher's id."""
    base = slugify(title)[:150] or "article"
    if not Article.objects.filter(slug=base).exists():
        return base
    digest = hashlib.sha256(f"{site_id}:{external_id}".encode()).hexdigest()[:10]
    return f"{base}-{digest}"


def _sync_values(
    *,
    title: str,
    body: str,
    body_is_html: bool,
    optional: dict[str, Any],
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The article's new field values and the errors in them, without touching the database."""
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {"title": clean_text(title)}
    if not values["title"]:
        errors["title"] = ["Give the article a title."]
    _check_length(errors, "title", values["title"], 300)
    try:
        values["body"] = article_body(body, is_html=body_is_html)
    except UnsafeHtml as unsafe:
        errors["body"] = [str(unsafe)]
    else:
        if not values["body"]:
            errors["body"] = ["The article has no text."]
        _check_length(errors, "body", values["body"], ARTICLE_BODY_MAX_LENGTH)
    for name in ("standfirst", "author", "url"):
        if optional.get(name) is not None:
            values[name] = clean_text(optional[name])
    if optional.get("language"):
        values["language"] = _language(optional["language"], errors)
    if optional.get("published_at") is not None:
        values["published_at"] = optional["published_at"]
    if optional.get("comment_mode"):
        values["comment_mode"] = optional["comment_mode"]
    return values, errors


def article_upsert(
    *,
    site: Site,
    external_id: str,
    title: str,
    body: str,
    body_is_html: bool = False,
    standfirst: str | None = None,
    url: str | None = None,
    section: str | None = None,
    language: str | None = None,
    published_at: datetime | None = None,
    comment_mode: str | None = None,
    author: str | None = None,
) -> ArticleSync:
    """Create or update the site's article with this external id, as its CMS has it.

    Idempotent: the same call again changes nothing (not even updated_at). Optional
    fields left out keep their value (defaults on creation). A changed body leaves the
    correction requests alone: each keeps the paragraph the reader quoted as they read
    it, and the desk shows that the article changed since. An archived article stays
    archived (an editor restores it in the admin) but its text is kept current.
    """
    external_id = clean_text(external_id)
    values, errors = _sync_values(
        title=title,
        body=body,
        body_is_html=body_is_html,
        optional={
            "standfirst": standfirst,
            "url": url,
            "language": language,
            "published_at": published_at,
            "comment_mode": comment_mode,
            "author": author,
        },
    )
    if not external_id or len(external_id) > EXTERNAL_ID_MAX_LENGTH:
        errors["external_id"] = [f"Between 1 and {EXTERNAL_ID_MAX_LENGTH} characters."]
    if errors:
        raise ValidationError(errors)
    if section:
        values["section"] = Section.objects.named(clean_text(section))
    try:
        return _article_write(site=site, external_id=external_id, values=values)
    except IntegrityError:
        # Another call created this article (or took its slug) since we looked: once
        # more, which finds it and updates it, or picks the other slug.
        return _article_write(site=site, external_id=external_id, values=values)


def _article_write(*, site: Site, external_id: str, values: dict[str, Any]) -> ArticleSync:
    values = dict(values)
    with transaction.atomic():
        article = (
            Article.objects.select_for_update().filter(site=site, external_id=external_id).first()
        )
        if article is None:
            chosen = values.pop("section", None) or Section.objects.named(DEFAULT_SECTION)
            if not values.get("author"):
                values["author"] = site.name
            created = Article(
                section=chosen,
                site=site,
                external_id=external_id,
                slug=_unique_slug(values["title"], site_id=site.pk, external_id=external_id),
                **values,
            )
            created.comment_mode = values.get("comment_mode") or chosen.new_article_comment_mode
            # The slug and the (site, external id) pair are the database's to check: a
            # creation racing ours fails the insert, and the caller tries once more.
            created.full_clean(exclude=["slug"], validate_constraints=False)
            created.save()
            return ArticleSync(article=created, created=True, changed=[])
        changed = [name for name, value in values.items() if getattr(article, name) != value]
        if changed:
            for name in changed:
                setattr(article, name, values[name])
            article.full_clean()
            article.save(update_fields=[*changed, "updated_at"])
        return ArticleSync(article=article, created=False, changed=changed)


def article_ensure(
    *,
    site: Site,
    external_id: str,
    title: str,
    body: str,
    url: str = "",
    author: str = "",
    published_at: datetime | None = None,
) -> tuple[Article, bool]:
    """The site's article with this external id, created from what an export knows of it
    when there is none yet; an existing article is left exactly as it is."""
    existing = Article.objects.filter(site=site, external_id=external_id).first()
    if existing is not None:
        return existing, False
    synced = article_upsert(
        site=site,
        external_id=external_id,
        title=title,
        body=body or title,
        body_is_html=False,
        url=url,
        author=author or None,
        published_at=published_at,
    )
    return synced.article, True


@dataclass
class FeedPull:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)


def site_feed_pull(*, site: Site, data: bytes | None = None) -> FeedPull:
    """Upsert every usable entry of the site's feed (fetched unless `data` is given).

    Each entry is its own upsert: one refused (a title too long) is reported and the
    others are kept. The outcome is noted on the site for the admin.
    """
    result = FeedPull()
    try:
        entries = read_feed(fetch_feed(site.feed_url) if data is None else data)
    except FeedError as error:
        Site.objects.filter(pk=site.pk).update(
            feed_pulled_at=timezone.now(), feed_error=str(error)[:500]
        )
        raise
    for entry in entries:
        try:
            synced = article_upsert(
                site=site,
                external_id=entry.external_id,
                title=entry.title,
                body=entry.body,
                standfirst=entry.standfirst,
                url=entry.url,
                section=entry.section or None,
                published_at=entry.published_at,
                author=entry.author or None,
            )
        except ValidationError as error:
            result.errors.append(f"{entry.external_id}: {'; '.join(error.messages)}")
            continue
        if synced.created:
            result.created += 1
        elif synced.changed:
            result.updated += 1
        else:
            result.unchanged += 1
    Site.objects.filter(pk=site.pk).update(
        feed_pulled_at=timezone.now(), feed_error="; ".join(result.errors)[:500]
    )
    return result


# --- Sites, their readers, and articles made from their pages ----------------------


def reader_sign_in(*, site: Site, claims: ReaderClaims) -> Reader:
    """The reader the site signed in, made on first sight and kept up to date after.

    The publisher's id is the reader's identity; name, email and avatar follow whatever
    the site says now. Two first sign-ins at once meet on the unique (site, subject).
    """
    fields = {
        "display_name": claims.name[: Reader._meta.get_field("display_name").max_length],
        "email": claims.email,
        "avatar_url": claims.avatar_url,
        "last_seen_at": timezone.now(),
    }
    reader, _created = Reader.objects.update_or_create(
        site=site, sso_subject=claims.subject, defaults=fields
    )
    return reader


def article_create_from_page(
    *, site: Site, external_id: str, url: str, title: str, body: str
) -> tuple[Article, bool]:
    """The site's article for a page the comments were put on before the CMS synced it.

    The page's canonical URL must be on one of the site's origins. An id that exists
    (another reader's page load got there first) is returned as it is: a page never
    overwrites what the CMS or an earlier page set.
    """
    title = clean_text(title)
    body = clean_text(body)
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = [_("The page has no title.")]
    if not body:
        errors["body"] = [_("The page has no article text.")]
    if not site.allows_origin(_origin_of(url)):
        errors["url"] = [_("The page's address is not on one of the site's origins.")]
    if errors:
        raise ValidationError(errors)
    existing = Article.objects.filter(site=site, external_id=external_id).first()
    if existing is not None:
        return existing, False
    synced = article_upsert(
        site=site,
        external_id=external_id,
        title=title,
        body=body,
        url=url,
        section=PAGE_ARTICLES_SECTION,
    )
    return synced.article, synced.created


def _origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def site_allow_origins(*, site: Site, origins: Collection[str]) -> Site:
    """Add origins to the site's list (the demo host page's, say); known ones stay once."""
    with transaction.atomic():
        site = Site.objects.select_for_update().get(pk=site.pk)
        missing = [o for o in origins if o not in site.allowed_origins]
        if missing:
            site.allowed_origins = [*site.allowed_origins, *missing]
            site.full_clean()
            site.save(update_fields=["allowed_origins"])
    return site
