from collections.abc import Callable

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from moderation import services
from moderation.models import ClassifierModel, Comment, CommentReport, ModerationEvent


class ModerationEventInline(admin.TabularInline):
    model = ModerationEvent
    extra = 0
    can_delete = False
    fields = ("created_at", "actor", "action", "from_status", "to_status", "reason_code", "scores")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


def _decide_each(
    request: HttpRequest, queryset: QuerySet[Comment], decide: Callable[..., Comment]
) -> None:
    done = 0
    for comment in queryset:
        decide(comment_id=comment.pk, actor=request.user)
        done += 1
    messages.success(request, f"{done} comments updated.")


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = (
        "excerpt",
        "article",
        "author_name",
        "status",
        "is_spoiler",
        "spam_score",
        "spoiler_score",
        "reports_count",
        "created_at",
    )
    list_filter = ("status", "is_spoiler", "article__section")
    search_fields = ("body", "author_name", "author_email")
    list_select_related = ("article",)
    readonly_fields = [f.name for f in Comment._meta.fields]
    inlines = [ModerationEventInline]
    actions = ["approve_selected", "mark_spam_selected"]

    @admin.display(description="Comment")
    def excerpt(self, comment: Comment) -> str:
        return comment.body[:80]

    @admin.action(description="Approve selected comments")
    def approve_selected(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        _decide_each(request, queryset, services.comment_approve)

    @admin.action(description="Mark selected comments as spam")
    def mark_spam_selected(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        _decide_each(request, queryset, services.comment_mark_spam)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(ModerationEvent)
class ModerationEventAdmin(admin.ModelAdmin):
    list_display = ("created_at", "comment", "actor", "action", "from_status", "to_status")
    list_filter = ("action",)
    list_select_related = ("comment", "actor")
    readonly_fields = [f.name for f in ModerationEvent._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(CommentReport)
class CommentReportAdmin(admin.ModelAdmin):
    list_display = ("comment", "reason", "created_at")
    list_filter = ("reason",)


@admin.register(ClassifierModel)
class ClassifierModelAdmin(admin.ModelAdmin):
    list_display = ("task", "short_version", "state", "training_size", "created_at")
    list_filter = ("task", "state")
    exclude = ("artifact",)
    readonly_fields = [f.name for f in ClassifierModel._meta.fields if f.name != "artifact"]

    @admin.display(description="Version")
    def short_version(self, model: ClassifierModel) -> str:
        return model.version[:12]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
