"""Appeals in the desk: the queue of authors' appeals, each handled by someone other
than the person who took the decision, and the log of mails to readers."""

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from moderation.appeals import AppealConflict, appeal_decide
from moderation.models import Appeal, Comment, MailNotification, RejectReason
from moderation.permissions import comments_in_scope
from moderation.services import CommentConflict

DECIDE_COMMENTS = "moderation.change_comment"


def may_decide(request: HttpRequest) -> bool:
    return request.user.is_active and request.user.has_perm(DECIDE_COMMENTS)


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class DecidersQueue(ReadOnly):
    """A queue of things about comments (appeals, notices) that people who may decide
    comments work through, each seeing only the comments of their sections."""

    list_display_links = None
    list_per_page = 50

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        scoped = comments_in_scope(Comment.objects.all(), request.user)
        return super().get_queryset(request).filter(comment__in=scoped)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return may_decide(request)

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return may_decide(request)

    def has_decide_permission(self, request: HttpRequest) -> bool:
        return may_decide(request)


def _decide_all(request: HttpRequest, appeals: QuerySet[Appeal], outcome: str) -> None:
    done = 0
    for appeal in appeals:
        try:
            appeal_decide(appeal_id=appeal.pk, actor=request.user, outcome=outcome)  # type: ignore[arg-type]
            done += 1
        except (AppealConflict, CommentConflict, PermissionDenied, ValidationError) as error:
            messages.error(request, f"{appeal.reference}: {error}")
    if done:
        messages.success(request, f"{done} appeal(s) {outcome}.")


@admin.register(Appeal)
class AppealAdmin(DecidersQueue):
    """The appeal queue. A person never sees appeals against their own decisions here."""

    list_display = (
        "reference_cell",
        "comment_cell",
        "decision_cell",
        "text",
        "created_at",
        "outcome",
        "decided_by",
    )
    list_filter = ("outcome",)
    list_select_related = ("comment", "event__actor", "decided_by")
    actions = ["uphold", "reverse"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Appeal]:
        # Nobody is shown appeals against their own decisions.
        return (
            super()
            .get_queryset(request)
            .exclude(Q(event__actor__isnull=False) & Q(event__actor=request.user.pk))
        )

    @admin.display(description="Appeal", ordering="pk")
    def reference_cell(self, appeal: Appeal) -> str:
        return appeal.reference

    @admin.display(description="Comment")
    def comment_cell(self, appeal: Appeal) -> SafeString:
        url = reverse("admin:moderation_comment_change", args=[appeal.comment_id])
        return format_html('<a href="{}">{}</a>', url, appeal.comment.body[:80])

    @admin.display(description="Decision appealed")
    def decision_cell(self, appeal: Appeal) -> str:
        event = appeal.event
        who = event.actor.get_username() if event.actor else "automatic"
        reason = (
            RejectReason(event.reason_code).label
            if event.reason_code in RejectReason.values
            else ""
        )
        change = f"{event.from_status} → {event.to_status}" + (f": {reason}" if reason else "")
        return f"{change}, {who}, {event.created_at:%Y-%m-%d}"

    @admin.action(description="Uphold the decision", permissions=["decide"])
    def uphold(self, request: HttpRequest, queryset: QuerySet[Appeal]) -> None:
        _decide_all(request, queryset, Appeal.Outcome.UPHELD)

    @admin.action(description="Reverse the decision (publish the comment)", permissions=["decide"])
    def reverse(self, request: HttpRequest, queryset: QuerySet[Appeal]) -> None:
        _decide_all(request, queryset, Appeal.Outcome.REVERSED)

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> Any:
        # The queue opens on what waits for a person.
        if "outcome__exact" not in request.GET and not request.GET.get("q"):
            query = request.GET.copy()
            query["outcome__exact"] = Appeal.Outcome.PENDING
            request.GET = query  # type: ignore[assignment]
            request.META["QUERY_STRING"] = query.urlencode()
        return super().changelist_view(request, extra_context)


@admin.register(MailNotification)
class MailNotificationAdmin(ReadOnly):
    """What was mailed to readers, and what became of each mail."""

    list_display = ("kind", "recipient", "status", "attempts", "error", "created_at", "sent_at")
    list_filter = ("kind", "status")
    list_select_related = ("recipient",)
    search_fields = ("recipient__email",)
    list_display_links = None

    def has_module_permission(self, request: HttpRequest) -> bool:
        return may_decide(request)

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return may_decide(request)
