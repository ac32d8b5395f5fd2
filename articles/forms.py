"""The reader's forms: a comment, a report of a comment, a correction request.

The forms only parse what the browser sent; the rules (lengths, closed articles, valid
parents) live in the services, whose errors are put back on these forms field by field.
"""

from collections.abc import Collection
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from moderation.models import COMMENT_BODY_MAX_LENGTH, COMMENT_NAME_MAX_LENGTH, CommentReport
from moderation.services import REPLY_REFUSED
from newsroom.api.fields import MAX_ID
from newsroom.lib.formdata import NOT_UTF8


class ReaderForm(forms.Form):
    def __init__(self, *args: Any, undecodable: Collection[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Fields whose bytes were not UTF-8 (newsroom.lib.formdata): refused, not mangled.
        self.undecodable = set(undecodable)

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)
        # Screen readers announce a field as invalid and read its message with it.
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["aria-invalid"] = "true"
                described = attrs.get("aria-describedby", "").split()
                error_id = f"id_{name}-error"
                if error_id not in described:
                    attrs["aria-describedby"] = " ".join([error_id, *described])

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        for name in sorted(self.undecodable & set(self.fields)):
            self.add_error(name, NOT_UTF8)
        # A hidden field's error has nowhere to show but the top of the form.
        hidden = [name for name, field in self.fields.items() if field.widget.is_hidden]
        for name in [name for name in hidden if name in self.errors]:
            self.add_error(None, self.errors.pop(name))
        return cleaned

    def add_service_errors(self, error: ValidationError) -> None:
        """Show a service's errors beside the fields they concern, the rest on top."""
        for field, messages in error.message_dict.items():
            shown = field in self.fields and not self.fields[field].widget.is_hidden
            self.add_error(field if shown else None, messages)


class CommentForm(ReaderForm):
    author_name = forms.CharField(
        label=_("Name"),
        required=False,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "name",
                "maxlength": COMMENT_NAME_MAX_LENGTH,
                # Marked for assistive technology; the form is `novalidate`, so the
                # server's message is the one readers see.
                "required": True,
            }
        ),
    )
    # Plain text here: the service checks the address, so every error shows at once.
    author_email = forms.CharField(
        label=_("Email (optional, never shown)"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    # No max_length here: browsers send CRLF line ends, the service counts them as one.
    body = forms.CharField(
        label=_("Your comment"),
        required=False,
        strip=False,
        widget=forms.Textarea(
            attrs={
                "rows": 5,
                "maxlength": COMMENT_BODY_MAX_LENGTH,
                "required": True,
                "aria-describedby": "id_body-count",
            }
        ),
    )
    spoiler = forms.BooleanField(label=_("This comment contains spoilers"), required=False)
    notify = forms.BooleanField(
        label=_("Email me about replies and about the decision on my comment"), required=False
    )
    # Any parent the reply cannot have gets the service's one answer, a malformed id too.
    parent = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        widget=forms.HiddenInput,
        error_messages={key: REPLY_REFUSED for key in ("invalid", "min_value", "max_value")},
    )
    # A honeypot: hidden from people (and screen readers); bots that fill every field do.
    homepage = forms.CharField(required=False)


class CommentReportForm(ReaderForm):
    reason = forms.ChoiceField(
        label=_("What is wrong with this comment?"),
        choices=CommentReport.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a reason.")},
    )
    text = forms.CharField(
        label=_("Anything else we should know (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 1000}),
    )


class CorrectionRequestForm(ReaderForm):
    """The quote and where the reader saw it; the context around it is taken on the
    server from its own copy of the paragraph (see articles.quoting)."""

    quote = forms.CharField(
        label=_("The words that are wrong (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    paragraph_index = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    offset = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    suggestion = forms.CharField(
        label=_("What should it say?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 2000, "required": True}),
    )
    email = forms.CharField(
        label=_("Your email (optional, if you would like a reply)"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    notify = forms.BooleanField(
        label=_("Email me when the correction is published"), required=False
    )


class AppealForm(ReaderForm):
    text = forms.CharField(
        label=_("Why do you think the decision is wrong?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": 2000, "required": True}),
    )


class IllegalContentNoticeForm(ReaderForm):
    law = forms.CharField(
        label=_("Which law does it break, or why is it illegal?"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": 200, "required": True}),
    )
    explanation = forms.CharField(
        label=_("Explain why the comment is illegal"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": 3000, "required": True}),
    )
    contact_name = forms.CharField(
        label=_("Your name (optional)"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name", "maxlength": 80}),
    )
    contact_email = forms.CharField(
        label=_("Your email (optional: for the acknowledgement and the outcome)"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class CommentEditForm(ReaderForm):
    """The author's new text for their comment, and their spoiler tag."""

    body = CommentForm.base_fields["body"]
    spoiler = CommentForm.base_fields["spoiler"]
