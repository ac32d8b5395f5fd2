"""The word lists: editors keep the banned and suspect terms, moderators may read them."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from moderation.models import WordListTerm


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
