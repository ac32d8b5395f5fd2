"""Notices of illegal content in the desk: their own queue, and the monthly
transparency figures (notices, time to first action, appeals, reversals, automation)
with a CSV export."""

import csv
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from moderation.admin.appeals import DecidersQueue, may_decide
from moderation.models import IllegalContentNotice
from moderation.notices import NoticeConflict, notice_handle
from moderation.services import CommentConflict
from moderation.transparency import CSV_COLUMNS, monthly_figures


def _handle_all(
    request: HttpRequest, notices: QuerySet[IllegalContentNotice], remove: bool
) -> None:
    done = 0
    for notice in notices:
        try:
            notice_handle(notice_id=notice.pk, actor=request.user, remove=remove)  # type: ignore[arg-type]
            done += 1
        except (NoticeConflict, CommentConflict, PermissionDenied) as error:
            messages.error(request, f"{notice.reference}: {error}")
    if done:
        messages.success(request, f"{done} notice(s) handled.")


@admin.register(IllegalContentNotice)
class IllegalContentNoticeAdmin(DecidersQueue):
    list_display = (
        "reference_cell",
        "comment_cell",
        "law",
        "explanation",
        "created_at",
        "status",
        "handled_by",
    )
    list_filter = ("status",)
    list_select_related = ("comment", "handled_by")
    search_fields = ("law", "explanation", "comment__body")
    actions = ["remove_comment", "no_action"]

    @admin.display(description="Notice", ordering="pk")
    def reference_cell(self, notice: IllegalContentNotice) -> str:
        return notice.reference

    @admin.display(description="Comment")
    def comment_cell(self, notice: IllegalContentNotice) -> SafeString:
        url = reverse("admin:moderation_comment_change", args=[notice.comment_id])
        return format_html(
            '<a href="{}">{}</a> ({})', url, notice.comment.body[:80], notice.comment.status
        )

    @admin.action(description="Remove the comment (illegal)", permissions=["decide"])
    def remove_comment(
        self, request: HttpRequest, queryset: QuerySet[IllegalContentNotice]
    ) -> None:
        _handle_all(request, queryset, remove=True)

    @admin.action(description="No action is due", permissions=["decide"])
    def no_action(self, request: HttpRequest, queryset: QuerySet[IllegalContentNotice]) -> None:
        _handle_all(request, queryset, remove=False)

    def get_urls(self) -> list[Any]:
        view = self.admin_site.admin_view(self.transparency_view)
        return [
            path("transparency/", view, name="moderation_transparency"),
            *super().get_urls(),
        ]

    def transparency_view(self, request: HttpRequest) -> HttpResponse:
        if not may_decide(request):
            raise PermissionDenied
        rows = monthly_figures()
        if request.GET.get("format") == "csv":
            response = HttpResponse(content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = 'attachment; filename="transparency.csv"'
            writer = csv.writer(response)
            writer.writerow(CSV_COLUMNS)
            writer.writerows(row.row() for row in rows)
            return response
        context = {
            **self.admin_site.each_context(request),
            "title": "Transparency figures by month",
            "columns": CSV_COLUMNS,
            "rows": [row.row() for row in rows],
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/moderation/transparency.html", context)
