"""Writes for articles, correction requests and published corrections."""

import logging
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.language import article_language
from articles.models import (
    Article,
    CommentMode,
    Correction,
    CorrectionRequest,
    CorrectionThanks,
    Section,
)
from articles.quoting import anchor_quote
from articles.signals import correction_published, correction_request_created
from moderation.queueing import publish_quietly
from moderation.signals import send_after_commit
from newsroom.lib.text import clean_text

logger = logging.getLogger(__name__)
ReqStatus = CorrectionRequest.Status
OPEN_STATUSES = (ReqStatus.NEW, ReqStatus.IN_PROGRESS)
ThanksStatus = CorrectionThanks.Status

SEND_CORRECTION_THANKS = "articles.tasks.send_correction_thanks"
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
    return article


def article_restore(*, article_id: int) -> Article:
    """Put an archived article back on the reader pages."""
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article_id)
        if article.archived_at is not None:
            article.archived_at = None
            article.archived_by = None
            article.save(update_fields=["archived_at", "archived_by"])
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
    if errors:
        raise ValidationError(errors)
    if anchor is not None:
        paragraph_index = anchor.paragraph_index
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
    )
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


def correction_publish(*, article: Article, text: str, actor: AbstractBaseUser) -> Correction:
    text = clean_text(text)
    if not text:
        raise ValidationError({"text": ["Write the correction to publish."]})
    if len(text) > 2000:
        raise ValidationError({"text": ["At most 2000 characters."]})
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
        # A reader who wrote in twice is thanked once, for the first of their requests.
        first_by_email: dict[str, CorrectionRequest] = {}
        for r in resolved:
            if r.email:
                first_by_email.setdefault(r.email, r)
        thanks = [CorrectionThanks.objects.create(request=r) for r in first_by_email.values()]
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


def _thanks_message(request: CorrectionRequest) -> EmailMultiAlternatives:
    """The thank-you email, text and HTML, to this reader alone."""
    context = {"article": request.article, "correction": request.correction}
    # In the article's language: the reader wrote in about the article as they read it.
    with translation.override(article_language(request.article)):
        subject = render_to_string("articles/email/correction_thanks_subject.txt", context)
        message = EmailMultiAlternatives(
            subject=" ".join(subject.split()),
            body=render_to_string("articles/email/correction_thanks.txt", context),
            to=[request.email],
        )
        message.attach_alternative(
            render_to_string("articles/email/correction_thanks.html", context), "text/html"
        )
    return message


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
