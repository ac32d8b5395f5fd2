"""Read-only lists of the audit trail and of readers' reports."""

from django.contrib import admin
from django.http import HttpRequest

from moderation.models import CommentReport, ModerationEvent


@admin.register(ModerationEvent)
class ModerationEventAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "comment",
        "actor",
        "action",
        "from_status",
        "to_status",
        "reason",
    )
    list_filter = ("action",)
    list_select_related = ("comment", "actor")
    readonly_fields = [f.name for f in ModerationEvent._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.display(description="Reason")
    def reason(self, event: ModerationEvent) -> str:
        return event.reason_label


@admin.register(CommentReport)
class CommentReportAdmin(admin.ModelAdmin):
    """Readers' reports as they came; resolved only by a decision or a dismissal on the
    comment's page (the services), so the stock form changes nothing."""

    list_display = ("comment", "reason", "created_at", "resolution", "resolved_at")
    list_filter = ("reason", "resolution")
    list_select_related = ("comment",)
    readonly_fields = [f.name for f in CommentReport._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
