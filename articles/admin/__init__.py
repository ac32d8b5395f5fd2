"""Articles and the corrections desk in the admin."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest

from articles import services
from articles.admin.corrections import CorrectionRequestAdmin
from articles.admin.sections import SectionAdmin
from articles.admin.sites import ReaderAdmin, SiteAdmin
from articles.models import Article, CommentMode, Correction, Site


def https_urls(field: Any, **kwargs: Any) -> Any:
    """Form fields for model fields, with a URL typed without a scheme taken as https."""
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return field.formfield(**kwargs)


class ArticleAddForm(forms.ModelForm):
    comment_mode = forms.ChoiceField(
        choices=[("", "As its section says"), *CommentMode.choices],
        required=False,
        help_text="Left as it is, the article starts with its section's comment mode.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Left empty, these take the model's defaults: the default site, English.
        self.fields["site"].required = False
        self.fields["language"].required = False

    def clean_site(self) -> Site:
        return self.cleaned_data.get("site") or Site.objects.default()

    def clean_language(self) -> str:
        return self.cleaned_data.get("language") or Article._meta.get_field("language").default

    class Meta:
        model = Article
        formfield_callback = https_urls
        fields = [
            "site",
            "slug",
            "external_id",
            "url",
            "language",
            "title",
            "standfirst",
            "body",
            "section",
            "author",
            "published_at",
            "comment_mode",
        ]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "site",
        "section",
        "author",
        "published_at",
        "comment_mode",
        "archived_at",
    )
    list_filter = ("site", "section", "comment_mode", ("archived_at", admin.EmptyFieldListFilter))
    list_select_related = ("site", "section")
    search_fields = ("title", "slug", "author", "external_id")
    prepopulated_fields = {"slug": ("title",)}
    date_hierarchy = "published_at"
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    readonly_fields = ("archived_at", "archived_by")
    actions = ["archive_selected", "restore_selected"]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any):  # type: ignore[no-untyped-def]
        if obj is None:
            kwargs["form"] = ArticleAddForm
        return super().get_form(request, obj, change, **kwargs)

    def save_model(self, request: HttpRequest, obj: Article, form: Any, change: bool) -> None:
        if not change and not obj.comment_mode:
            obj.comment_mode = obj.section.new_article_comment_mode
        super().save_model(request, obj, form, change)

    # Articles are archived, never deleted: their comments and the moderation trail stay.
    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(
        description="Archive selected articles (off the site, comments kept)",
        permissions=["change"],
    )
    def archive_selected(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        ids = list(queryset.values_list("pk", flat=True))
        for article_id in ids:
            services.article_archive(article_id=article_id, actor=request.user)  # type: ignore[arg-type]
        messages.success(request, f"{len(ids)} article(s) archived: readers no longer see them.")

    @admin.action(description="Restore selected articles to the site", permissions=["change"])
    def restore_selected(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        ids = list(queryset.values_list("pk", flat=True))
        for article_id in ids:
            services.article_restore(article_id=article_id)
        messages.success(request, f"{len(ids)} article(s) restored to the site.")


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    list_display = ("article", "text", "published_at", "published_by")
    list_select_related = ("article", "published_by")


__all__ = [
    "ArticleAdmin",
    "CorrectionAdmin",
    "CorrectionRequestAdmin",
    "ReaderAdmin",
    "SectionAdmin",
    "SiteAdmin",
]
