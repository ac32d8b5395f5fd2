"""The pages behind the links in mails to readers: confirm an address, turn mail off,
read the statement of reasons for a decision and appeal it.

No login: the signed link is the proof (moderation.mail_links). A link that is not ours,
was altered or has expired gets a page that says so, with status 400, and changes
nothing. Turning mail off takes a POST: RFC 8058's one-click POST from a mail client
(no CSRF token, so exempt), or the button on the page, so that a link scanner opening
the URL turns nothing off.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from articles.forms import AppealForm
from articles.language import activate_article_language
from moderation.appeals import AppealRefused, appeal_deadline, appeal_refusal, appeal_submit
from moderation.mail_links import (
    ALL_KINDS,
    BadLink,
    read_confirm,
    read_decision,
    read_unsubscribe,
)
from moderation.models import MUTABLE_MAIL_KINDS, MailKind, MailRecipient, ModerationEvent
from moderation.notifications import mail_confirm, mail_mute, statement_context
from newsroom.lib.formdata import undecodable_fields


def _bad_link(request: HttpRequest) -> HttpResponse:
    return render(request, "articles/mail/bad_link.html", status=400)


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        recipient = MailRecipient.objects.get(pk=read_confirm(token))
    except (BadLink, MailRecipient.DoesNotExist):
        return _bad_link(request)
    if request.method == "POST":
        recipient = mail_confirm(recipient_id=recipient.pk)
    return render(request, "articles/mail/confirm.html", {"recipient": recipient})


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        recipient_id, kind = read_unsubscribe(token)
        recipient = MailRecipient.objects.get(pk=recipient_id)
    except (BadLink, MailRecipient.DoesNotExist):
        return _bad_link(request)
    if kind != ALL_KINDS and kind not in MUTABLE_MAIL_KINDS:
        return _bad_link(request)
    done = False
    if request.method == "POST":
        recipient = mail_mute(recipient_id=recipient.pk, kind=kind)
        done = True
    label = _("all mails from us") if kind == ALL_KINDS else MailKind(kind).label
    return render(
        request,
        "articles/mail/unsubscribe.html",
        {"recipient": recipient, "kind_label": label, "done": done},
    )


@require_http_methods(["GET", "POST"])
def decision(request: HttpRequest, token: str) -> HttpResponse:
    """The statement of reasons for a decision on the reader's comment, and the appeal."""
    try:
        event = ModerationEvent.objects.select_related("comment__article").get(
            pk=read_decision(token)
        )
    except (BadLink, ModerationEvent.DoesNotExist):
        return _bad_link(request)
    # The page speaks the article's language, as the mail that links here did.
    activate_article_language(request, event.comment.article)
    form = AppealForm()
    status = 200
    if request.method == "POST":
        form = AppealForm(request.POST, undecodable=undecodable_fields(request))
        if form.is_valid():
            try:
                appeal_submit(event_id=event.pk, text=form.cleaned_data["text"])
            except ValidationError as error:
                form.add_service_errors(error)
            except AppealRefused as refused:
                form.add_error(None, str(refused))
        if form.errors:
            status = 400
    return render(
        request, "articles/mail/decision.html", _decision_context(event, form), status=status
    )


def _decision_context(event: ModerationEvent, form: AppealForm) -> dict[str, Any]:
    appeal = getattr(event, "appeal", None)
    return {
        **statement_context(event, event.comment),
        "appeal": appeal,
        "form": form,
        "refusal": "" if appeal else appeal_refusal(event),
        "deadline": appeal_deadline(event),
    }
