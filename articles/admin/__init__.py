"""Articles and the corrections desk in the admin."""

from django.contrib import admin

from articles.admin.corrections import CorrectionRequestAdmin
from articles.models import Article, Correction


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("title", "section", "author", "published_at", "comment_mode")
    list_filter = ("section", "comment_mode")
    search_fields = ("title", "slug", "author")
    prepopulated_fields = {"slug": ("title",)}
    date_hierarchy = "published_at"


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    list_display = ("article", "text", "published_at", "published_by")
    list_select_related = ("article", "published_by")


__all__ = ["ArticleAdmin", "CorrectionAdmin", "CorrectionRequestAdmin"]
