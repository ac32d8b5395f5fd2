"""The word lists: editors keep the banned and suspect terms, moderators may read them
and try a text against them."""

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path

from articles.models import Section
from moderation.models import COMMENT_BODY_MAX_LENGTH, WordListTerm
from moderation.word_lists import word_list_try


class TryForm(forms.Form):
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}), max_length=COMMENT_BODY_MAX_LENGTH
    )
    section = forms.ModelChoiceField(
        Section.objects.all(), required=False, empty_label="No section: the site's list only"
    )


@admin.register(WordListTerm)
class WordListTermAdmin(admin.ModelAdmin):
    list_display = ("pattern", "kind", "is_regex", "list_name", "note", "created_by", "updated_at")
    list_filter = ("kind", ("section", admin.RelatedOnlyFieldListFilter), "is_regex")
    search_fields = ("pattern", "note")
    search_help_text = "Search the terms and their notes."
    fields = (
        "kind",
        "pattern",
        "is_regex",
        "section",
        "note",
        "created_by",
        "created_at",
        "updated_at",
    )
    readonly_fields = ("created_by", "created_at", "updated_at")
    list_select_related = ("created_by", "section")
    list_per_page = 100

    @admin.display(description="list", ordering="section__name")
    def list_name(self, term: WordListTerm) -> str:
        return term.section.name if term.section else "Whole site"

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def get_urls(self) -> list[Any]:
        wrap = self.admin_site.admin_view
        return [
            path("try/", wrap(self.try_view), name="moderation_wordlistterm_try"),
            *super().get_urls(),
        ]

    def try_view(self, request: HttpRequest) -> HttpResponse:
        """A text through the lists as they stand, with the reasons scoring would give."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        # Posted: a comment of 5,000 Cyrillic letters is 60 KB in a URL.
        form = TryForm(request.POST if request.method == "POST" else None)
        hits = None
        if form.is_valid():
            section = form.cleaned_data["section"]
            hits = word_list_try(
                text=form.cleaned_data["text"], section_id=section.pk if section else None
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Try a comment against the word lists",
            "form": form,
            "hits": hits,
        }
        return TemplateResponse(request, "admin/moderation/wordlistterm/try.html", context)
