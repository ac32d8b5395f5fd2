"""The section policy page: each section's own values beside the ones that apply."""

from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Count, ManyToManyField, QuerySet
from django.forms import ModelMultipleChoiceField
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from articles.models import Section
from moderation.roles import EDITORS, MODERATORS
from moderation.section_policy import SectionPolicyView, section_policy_view

SITES = "unset here: the site's"


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "spam_reject_cell",
        "spam_hold_cell",
        "spoiler_flag_cell",
        "comment_mode_cell",
        "auto_close_cell",
        "hold_links_cell",
        "moderator_list",
        "article_count",
    )
    search_fields = ("name", "slug")
    search_help_text = "Bold: set in the section; grey: the site's value, which applies."
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("moderators",)
    readonly_fields = ("effective_policy",)
    fieldsets = (
        (None, {"fields": ("name", "slug")}),
        (
            "Policy (empty: the site's)",
            {
                "fields": (
                    ("spam_hold", "spam_reject"),
                    "spoiler_flag",
                    ("abuse_hold", "abuse_reject"),
                    "comment_mode",
                    "auto_close_days",
                    "hold_links",
                )
            },
        ),
        ("Who moderates here", {"fields": ("moderators",)}),
        ("What applies", {"fields": ("effective_policy",)}),
    )

    class Media:
        css = {"all": ["moderation/desk.css"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Section]:
        return (
            super()
            .get_queryset(request)
            .prefetch_related("moderators")
            .annotate(articles_count=Count("articles", distinct=True))
        )

    def formfield_for_manytomany(
        self, db_field: "ManyToManyField[Any, Any]", request: HttpRequest, **kwargs: Any
    ) -> ModelMultipleChoiceField | None:
        if db_field.name == "moderators":
            # Editors act everywhere already: only moderators are worth naming.
            kwargs["queryset"] = (
                get_user_model()
                .objects.filter(groups__name=MODERATORS, is_active=True)
                .exclude(groups__name=EDITORS)
                .order_by("username")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    # --- the list: own value, or the site's (muted) -----------------------------

    def _cell(self, section: Section, name: str) -> SafeString:
        row = section_policy_view(section).row(name)
        if row.own is None:
            return format_html(
                '<span class="desk-muted" title="{}">{}</span>', SITES, row.effective
            )
        return format_html("<strong>{}</strong>", row.effective)

    @admin.display(description="Reject at")
    def spam_reject_cell(self, section: Section) -> SafeString:
        return self._cell(section, "spam_reject")

    @admin.display(description="Hold at")
    def spam_hold_cell(self, section: Section) -> SafeString:
        return self._cell(section, "spam_hold")

    @admin.display(description="Spoiler at")
    def spoiler_flag_cell(self, section: Section) -> SafeString:
        return self._cell(section, "spoiler_flag")

    @admin.display(description="New articles")
    def comment_mode_cell(self, section: Section) -> SafeString:
        return self._cell(section, "comment_mode")

    @admin.display(description="Auto-close")
    def auto_close_cell(self, section: Section) -> SafeString:
        return self._cell(section, "auto_close_days")

    @admin.display(description="Links")
    def hold_links_cell(self, section: Section) -> SafeString:
        return self._cell(section, "hold_links")

    @admin.display(description="Moderators")
    def moderator_list(self, section: Section) -> str:
        names = [user.get_username() for user in section.moderators.all()]
        return ", ".join(names) if names else "every moderator"

    @admin.display(description="Articles", ordering="articles_count")
    def article_count(self, section: Section) -> int:
        return getattr(section, "articles_count", 0)

    # --- the page: own values beside the effective ones ----------------------------

    @admin.display(description="Effective policy")
    def effective_policy(self, section: Section) -> SafeString:
        view: SectionPolicyView = section_policy_view(section)
        rows = format_html_join(
            "",
            "<tr><th>{}</th><td>{}</td><td>{}</td></tr>",
            ((row.label, "—" if row.own is None else row.own, row.effective) for row in view.rows),
        )
        note = format_html('<p class="errornote">{}</p>', view.error) if view.error else ""
        moderators = self.moderator_list(section) if section.pk else "every moderator"
        return format_html(
            '{}<table id="section-policy"><thead><tr><th>Setting</th><th>This section</th>'
            "<th>Applies (the site's where unset)</th></tr></thead><tbody>{}"
            "<tr><th>Moderators</th><td>{}</td><td>{}</td></tr></tbody></table>",
            note,
            rows,
            moderators,
            f"{moderators}, and editors",
        )
