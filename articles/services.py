"""Writes for correction requests and published corrections."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from articles.models import Article, Correction, CorrectionRequest
from newsroom.lib.text import clean_text

ReqStatus = CorrectionRequest.Status
OPEN_STATUSES = (ReqStatus.NEW, ReqStatus.IN_PROGRESS)


class CorrectionRequestConflict(Exception):
    """The request is no longer in a state that allows this action."""

    def __init__(self, request: CorrectionRequest) -> None:
        super().__init__(f"Correction request {request.pk} is {request.status}.")
        self.request = request


def _check_length(errors: dict[str, list[str]], field: str, value: str, limit: int) -> None:
    if len(value) > limit:
        errors[field] = [f"At most {limit} characters."]


def correction_request_submit(
    *,
    article: Article,
    suggestion: str,
    quote: str = "",
    prefix: str = "",
    suffix: str = "",
    paragraph_index: int | None = None,
    offset: int | None = None,
    email: str = "",
    ip_address: str | None = None,
) -> CorrectionRequest:
    """Record a reader's correction request against the article as they read it."""
    suggestion = clean_text(suggestion)
    quote = clean_text(quote)
    email = clean_text(email).lower()
    errors: dict[str, list[str]] = {}
    if not suggestion:
        errors["suggestion"] = ["Tell us what is wrong and what it should say."]
    _check_length(errors, "suggestion", suggestion, CorrectionRequest.SUGGESTION_MAX_LENGTH)
    _check_length(errors, "quote", quote, CorrectionRequest.QUOTE_MAX_LENGTH)
    _check_length(errors, "prefix", prefix, CorrectionRequest.CONTEXT_MAX_LENGTH)
    _check_length(errors, "suffix", suffix, CorrectionRequest.CONTEXT_MAX_LENGTH)
    paragraphs = article.paragraphs
    if paragraph_index is not None and not 0 <= paragraph_index < len(paragraphs):
        errors["paragraph_index"] = [f"The article has {len(paragraphs)} paragraphs."]
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = ["Enter a valid email address, or leave it empty."]
    if errors:
        raise ValidationError(errors)
    return CorrectionRequest.objects.create(
        article=article,
        article_updated_at=article.updated_at,
        paragraph_text=paragraphs[paragraph_index] if paragraph_index is not None else "",
        quote=quote,
        prefix=prefix,
        suffix=suffix,
        paragraph_index=paragraph_index,
        offset=offset,
        suggestion=suggestion,
        email=email,
        ip_address=ip_address,
    )


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
        if request.status not in allowed_from:
            raise CorrectionRequestConflict(request)
        request.status = to_status
        request.handled_by = actor  # type: ignore[assignment]
        request.handled_at = timezone.now()
        for name, value in fields.items():
            setattr(request, name, value)
        request.save()
    return request


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


def correction_request_mark_duplicate(
    *, request_id: int, actor: AbstractBaseUser, duplicate_of_id: int
) -> CorrectionRequest:
    original = CorrectionRequest.objects.filter(pk=duplicate_of_id).first()
    if original is None or original.pk == request_id:
        raise ValidationError({"duplicate_of": ["Choose another request of the same article."]})
    request = CorrectionRequest.objects.get(pk=request_id)
    if original.article_id != request.article_id:
        raise ValidationError({"duplicate_of": ["Choose another request of the same article."]})
    return _transition(
        request_id=request_id, actor=actor, to_status=ReqStatus.DUPLICATE, duplicate_of=original
    )


def correction_publish(*, article: Article, text: str, actor: AbstractBaseUser) -> Correction:
    text = clean_text(text)
    if not text:
        raise ValidationError({"text": ["Write the correction to publish."]})
    if len(text) > 2000:
        raise ValidationError({"text": ["At most 2000 characters."]})
    # The actor is an instance of AUTH_USER_MODEL; the stubs type the FK as User.
    return Correction.objects.create(article=article, text=text, published_by=actor)  # type: ignore[misc]


def correction_request_resolve(
    *, request_id: int, actor: AbstractBaseUser, correction_text: str
) -> CorrectionRequest:
    """Publish a correction for the request and thank the reader if they left an email."""
    with transaction.atomic():
        request = CorrectionRequest.objects.select_for_update().get(pk=request_id)
        if request.status not in OPEN_STATUSES:
            raise CorrectionRequestConflict(request)
        correction = correction_publish(article=request.article, text=correction_text, actor=actor)
        request = _transition(
            request_id=request_id, actor=actor, to_status=ReqStatus.RESOLVED, correction=correction
        )
        if request.email:
            transaction.on_commit(lambda: _thank_reader(request, correction))
    return request


def _thank_reader(request: CorrectionRequest, correction: Correction) -> None:
    send_mail(
        subject=f"Correction published: {request.article.title}",
        message=(
            "Thank you for writing to us. We have published this correction:\n\n"
            f"{correction.text}\n"
        ),
        from_email=None,
        recipient_list=[request.email],
        fail_silently=True,
    )
