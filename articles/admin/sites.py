"""The publications the comments serve, and the readers they sign in."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from articles.models import Reader, Site


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "allow_anonymous", "auto_create_articles", "created_at")
    prepopulated_fields = {"slug": ("name",)}
    fieldsets = (
        (None, {"fields": ("name", "slug")}),
        ("Embedding", {"fields": ("allowed_origins", "auto_create_articles")}),
        ("Readers", {"fields": ("allow_anonymous", "sso_secret")}),
    )


@admin.register(Reader)
class ReaderAdmin(admin.ModelAdmin):
    """Readers are made by signing in and erased by the privacy page: read-only here."""

    list_display = ("display_name", "site", "is_verified", "created_at", "last_seen_at")
    list_filter = ("site",)
    list_select_related = ("site",)
    search_fields = ("display_name", "email", "sso_subject")

    @admin.display(boolean=True, description="Signed in by the publisher")
    def is_verified(self, reader: Reader) -> bool:
        return reader.is_verified

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
