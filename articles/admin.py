from django.contrib import admin

from articles.models import Article, Correction, CorrectionRequest


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("title", "section", "author", "published_at", "comment_mode")
    list_filter = ("section", "comment_mode")
    search_fields = ("title", "slug", "author")
    prepopulated_fields = {"slug": ("title",)}
    date_hierarchy = "published_at"


@admin.register(CorrectionRequest)
class CorrectionRequestAdmin(admin.ModelAdmin):
    list_display = ("article", "quote", "suggestion", "status", "created_at")
    list_filter = ("status",)
    search_fields = ("quote", "suggestion", "email")
    list_select_related = ("article",)
    readonly_fields = (
        "article",
        "article_updated_at",
        "paragraph_text",
        "quote",
        "prefix",
        "suffix",
        "paragraph_index",
        "offset",
        "suggestion",
        "email",
        "ip_address",
        "created_at",
        "handled_by",
        "handled_at",
    )


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    list_display = ("article", "text", "published_at")
    list_select_related = ("article",)
