"""Mails to readers: text and HTML from templates, with one-click unsubscribe headers.

Every mail a reader subscribed to carries RFC 8058's `List-Unsubscribe` (a signed https
link for this kind alone) and `List-Unsubscribe-Post`, so a mail client's button turns
that kind off without a login. Subjects are one line: a name with a line break in it
cannot start a header of its own.
"""

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from articles.language import mail_language
from moderation.mail_links import ALL_KINDS, unsubscribe_url
from moderation.models import MUTABLE_MAIL_KINDS, MailRecipient

ONE_CLICK = "List-Unsubscribe=One-Click"


def one_line(text: str) -> str:
    return " ".join(text.split())


def mail_message(
    *,
    template: str,
    kind: str,
    recipient: MailRecipient,
    context: dict[str, Any],
    language: str = "",
) -> EmailMultiAlternatives:
    """The mail `template` (mail/<template>.txt, .html and _subject.txt) to `recipient`,
    in `language` (the article's) when the site speaks it, else in the site's default."""
    context = {
        **context,
        "recipient": recipient,
        "base_url": settings.PUBLIC_BASE_URL,
        "unsubscribe_kind_url": unsubscribe_url(recipient.pk, kind)
        if kind in MUTABLE_MAIL_KINDS
        else "",
        "unsubscribe_all_url": unsubscribe_url(recipient.pk, ALL_KINDS),
    }
    with translation.override(mail_language(language)):
        subject = render_to_string(f"mail/{template}_subject.txt", context)
        text = render_to_string(f"mail/{template}.txt", context)
        html = render_to_string(f"mail/{template}.html", context)
    headers = {}
    if kind in MUTABLE_MAIL_KINDS:
        headers = {
            "List-Unsubscribe": f"<{context['unsubscribe_kind_url']}>",
            "List-Unsubscribe-Post": ONE_CLICK,
        }
    message = EmailMultiAlternatives(
        subject=one_line(subject), body=text, to=[recipient.email], headers=headers
    )
    message.attach_alternative(html, "text/html")
    return message
