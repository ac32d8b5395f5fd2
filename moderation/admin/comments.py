"""The comment queue: the change list moderators clear, its bulk actions and a comment's page."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
    JsonResponse,
)
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString
from django.utils.timesince import timesince
from django.views.decorators.http import require_POST

from moderation.admin.decisions import (
    DecisionForm,
    RejectReasonForm,
    comment_decide,
    comment_state,
)
from moderation.admin.filters import (
    QueueFilter,
    SampleFilter,
    SpamBandFilter,
    SpoilerBandFilter,
    StatusFilter,
)
from moderation.admin.highlight import explanation_features, highlight_comment
from moderation.admin.picks import EditorsPicksMixin
from moderation.admin.privacy import PRIVACY_ACTIONS
from moderation.admin.queue_rows import comment_cell, score_bar, scores_cell
from moderation.admin.take_back import TakeBackViews, undo_offer, undoable_events
from moderation.bulk import (
    BULK_MAX_ITEMS,
    CONFLICT,
    NOT_FOUND,
    BulkItem,
    BulkRefused,
    bulk_decider,
    comment_bulk_decide,
)
from moderation.models import Comment, ModerationEvent, RejectReason, scored_tasks
from moderation.permissions import (
    OUT_OF_SCOPE,
    comments_in_scope,
    comments_out_of_scope,
    may_act_on,
)
from moderation.policy import UNDO_WINDOW
from moderation.selectors import (
    PRIORITY_ORDER,
    comment_author_history,
    comment_queue,
    queue_order,
)
from moderation.services import STATUS_DECISIONS, CommentConflict
from newsroom.api.fields import MAX_ID

AUTHOR_HISTORY_SHOWN = 20


def _seen_statuses(request: HttpRequest) -> dict[int, str]:
    """The status each row had when the moderator's page was drawn (hidden inputs)."""
    seen: dict[int, str] = {}
    for key in request.POST:
        value = request.POST.get(key, "")
        if key.startswith("seen-") and key[5:].isdigit() and value in Comment.Status.values:
            seen[int(key[5:])] = value
    return seen


_COMMENT_ID = forms.IntegerField(min_value=1, max_value=MAX_ID)


def _comment_id(value: str) -> int | None:
    """A comment id a database column can hold, or None for anything else."""
    try:
        return int(_COMMENT_ID.clean(value))
    except ValidationError:
        return None


class BadSelection(Exception):
    """The request names comments the desk could not have drawn: nothing is done."""


@admin.register(Comment)
class CommentAdmin(TakeBackViews, EditorsPicksMixin, admin.ModelAdmin):
    list_display = (
        "comment_text",
        "status_cell",
        "scores",
        "reports",
        "age",
    )
    list_display_links = None
    list_filter = (
        QueueFilter,
        SampleFilter,
        StatusFilter,
        "article__section",
        SpamBandFilter,
        SpoilerBandFilter,
        "created_at",
    )
    show_facets = admin.ShowFacets.ALWAYS
    search_fields = ("body", "author_name", "author_email")
    search_help_text = "Search the text, the author's name or their email."
    list_select_related = ("article__section", "parent", "decided_by", "spoiler_reviewed_by")
    ordering = PRIORITY_ORDER
    list_per_page = 50
    actions = [
        "approve_selected",
        "reject_selected",
        "spam_selected",
        "set_spoiler_selected",
        "clear_spoiler_selected",
        "feature_selected",
        "unfeature_selected",
        *PRIVACY_ACTIONS,
    ]

    class Media:
        css = {"all": ["moderation/desk.css"]}
        js = ["moderation/desk.js"]

    # --- the list ---------------------------------------------------------

    def get_queryset(self, request: HttpRequest) -> QuerySet[Comment]:
        # The same queryset as the API's queue (priority order, author's track record),
        # and the same scope: a moderator named in some sections sees only those.
        return comments_in_scope(comment_queue(queue=None), request.user)

    def get_object(self, request: HttpRequest, object_id: str, from_field: Any = None) -> Any:
        # Found whatever its section, so that one out of scope is a 403, not a 404.
        pk = _comment_id(object_id)
        return None if pk is None else comment_queue(queue=None).filter(pk=pk).first()

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or may_act_on(request.user, obj))

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or may_act_on(request.user, obj))

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # the audit trail outlives any comment
        return actions

    def get_ordering(self, request: HttpRequest) -> tuple[str, ...]:
        return queue_order(request.GET.get(QueueFilter.parameter_name))

    @admin.display(description="Comment")
    def comment_text(self, comment: Comment) -> SafeString:
        return comment_cell(comment)

    @admin.display(description="Status", ordering="status")
    def status_cell(self, comment: Comment) -> SafeString:
        # The data attributes drive the keyboard; the hidden input lets bulk actions
        # tell "decided by someone else since" from "still as the moderator saw it".
        return format_html(
            '<span class="desk-status desk-status-{}" data-id="{}" data-status="{}" '
            'data-spoiler="{}" data-decide="{}" data-open="{}">{}</span>{}'
            '<input type="hidden" name="seen-{}" value="{}">',
            comment.status,
            comment.pk,
            comment.status,
            "true" if comment.is_spoiler else "false",
            reverse("admin:moderation_comment_decide", args=[comment.pk]),
            reverse("admin:moderation_comment_change", args=[comment.pk]),
            comment.get_status_display(),
            format_html(' <span class="desk-spoiler-badge">{}</span>', "spoiler")
            if comment.is_spoiler
            else "",
            comment.pk,
            comment.status,
        )

    @admin.display(description="Scores and why")
    def scores(self, comment: Comment) -> SafeString:
        return scores_cell(comment)

    @admin.display(description="Reports", ordering="reports_count")
    def reports(self, comment: Comment) -> int:
        return comment.reports_count

    @admin.display(description="Age", ordering="created_at")
    def age(self, comment: Comment) -> SafeString:
        return format_html(
            '<time datetime="{}" title="{}">{}</time>',
            comment.created_at.isoformat(),
            timezone.localtime(comment.created_at).strftime("%d %b %Y %H:%M"),
            timesince(comment.created_at, depth=1),
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    # --- bulk actions -------------------------------------------------------

    def response_action(
        self, request: HttpRequest, queryset: QuerySet[Comment]
    ) -> HttpResponse | None:
        # Django filters the queryset by the posted ids before any action runs: an id
        # that is not a number a column can hold must stop here, with nothing done.
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        if any(_comment_id(value) is None for value in selected):
            return HttpResponseBadRequest("The selection names no comment. Nothing was changed.")
        try:
            return super().response_action(request, queryset)
        except BadSelection:
            return HttpResponseBadRequest(
                "Each selected comment needs the status you saw. Nothing was changed."
            )

    def _targets(self, request: HttpRequest, queryset: QuerySet[Comment]) -> list[BulkItem]:
        """The selected comments, each with the status the moderator saw.

        "Saw" means: for a row drawn on the page, the status drawn on it (its hidden
        `seen-<id>` input; a selected row without one is refused). For the rest of
        "select all N", which nobody looked at, the status it has when this action reads
        the filtered queue: the moderator chose those by the filter, so a comment that left
        the queue meanwhile is not among them, and one that changes between this read and
        the decision is a conflict. Selected rows are read by id, not through the filtered
        list: a comment someone took out of this queue meanwhile is reported, not skipped.
        """
        seen = _seen_statuses(request)
        if request.POST.get("select_across") == "1":
            current = queryset.order_by(*PRIORITY_ORDER).values_list("pk", "status")
            return [
                BulkItem(pk, seen.get(pk, status)) for pk, status in current[: BULK_MAX_ITEMS + 1]
            ]
        ids = list(
            dict.fromkeys(int(v) for v in request.POST.getlist(helpers.ACTION_CHECKBOX_NAME))
        )
        if any(pk not in seen for pk in ids):
            raise BadSelection
        return [BulkItem(pk, seen[pk]) for pk in ids]

    def _too_many(self, request: HttpRequest, targets: list[BulkItem]) -> bool:
        if len(targets) <= BULK_MAX_ITEMS:
            return False
        messages.error(
            request,
            f"One action decides at most {BULK_MAX_ITEMS} comments and this queue holds more. "
            "Narrow it with the filters. Nothing was changed.",
        )
        return True

    def _apply(
        self, request: HttpRequest, queryset: QuerySet[Comment], decision: str, **options: Any
    ) -> HttpResponse | None:
        """One decision on every selected comment, all or none (the API's bulk service)."""
        targets = self._targets(request, queryset)
        if self._too_many(request, targets):
            return None
        outside = comments_out_of_scope(request.user, [t.comment_id for t in targets])
        if outside:
            listed = ", ".join(f"#{pk}" for pk in outside)
            messages.error(request, f"{listed}: {OUT_OF_SCOPE} Nothing was changed.")
            return None
        decide = bulk_decider(action=decision, actor=request.user, **options)  # type: ignore[arg-type]
        try:
            outcomes = comment_bulk_decide(
                items=targets,
                actor=request.user,  # type: ignore[arg-type]
                decide=decide,
            )
        except BulkRefused as refused:
            self._report_refusal(request, refused)
            return None
        except ValidationError as error:
            messages.error(request, " ".join(error.messages) + " Nothing was changed.")
            return None
        done = len(outcomes)
        noun = "comment" if done == 1 else "comments"
        offer = self._undo_offer([o.comment_id for o in outcomes], request)
        messages.success(
            request,
            format_html(
                '{} <button type="button" class="button desk-undo-offer" data-events="{}" '
                'data-until="{}" data-url="{}">{}</button>',
                f"{done} {noun}: {decision} done.",
                ",".join(str(e) for e in offer["events"]),
                offer["until"],
                offer["url"],
                "Undo",
            ),
        )
        return None

    def _undo_offer(self, comment_ids: list[int], request: HttpRequest) -> dict[str, Any]:
        """The events this person's decision just wrote on these comments, to undo."""
        latest = {
            comment_id: event_id
            for comment_id, event_id in ModerationEvent.objects.filter(
                comment_id__in=comment_ids,
                actor_id=request.user.pk,
                action__in=STATUS_DECISIONS,
            )
            .order_by("comment_id", "id")
            .values_list("comment_id", "id")
        }
        return {
            **undo_offer(list(latest.values())),
            "url": reverse("admin:moderation_comment_undo"),
        }

    def _report_refusal(self, request: HttpRequest, refused: BulkRefused) -> None:
        moved = {o.comment_id for o in refused.outcomes if o.outcome == CONFLICT}
        gone = [o.comment_id for o in refused.outcomes if o.outcome == NOT_FOUND]
        for comment in Comment.objects.filter(pk__in=moved).select_related("decided_by"):
            by = comment.decided_by.get_username() if comment.decided_by else "someone else"
            messages.warning(
                request,
                f"Comment #{comment.pk} was changed meanwhile: it is now "
                f"{comment.get_status_display().lower()} (by {by}).",
            )
        for pk in gone:
            messages.warning(request, f"Comment #{pk} no longer exists.")
        messages.error(request, "Nothing was changed: reload the queue and decide again.")

    @admin.action(description="Approve selected comments", permissions=["change"])
    def approve_selected(
        self, request: HttpRequest, queryset: QuerySet[Comment]
    ) -> HttpResponse | None:
        return self._apply(request, queryset, "approve")

    @admin.action(description="Reject selected comments (with a reason)", permissions=["change"])
    def reject_selected(
        self, request: HttpRequest, queryset: QuerySet[Comment]
    ) -> HttpResponse | None:
        form = RejectReasonForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            return self._apply(
                request,
                queryset,
                "reject",
                reason_code=form.cleaned_data["reason_code"],
                reason_text=form.cleaned_data["reason_text"],
            )
        targets = self._targets(request, queryset)
        if self._too_many(request, targets):
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Reject comments",
            "opts": self.opts,
            "form": form,
            "targets": [(item.comment_id, item.expected_status) for item in targets],
            "comments": Comment.objects.filter(pk__in=[t.comment_id for t in targets]).order_by(
                *PRIORITY_ORDER
            ),
            # The page lists every target, so the moderator has seen each one: the
            # second step decides exactly these, with the statuses listed.
            "select_across": "0",
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/moderation/comment/reject_reason.html", context)

    @admin.action(description="Mark selected comments as spam", permissions=["change"])
    def spam_selected(
        self, request: HttpRequest, queryset: QuerySet[Comment]
    ) -> HttpResponse | None:
        return self._apply(request, queryset, "spam")

    @admin.action(description="Set the spoiler flag on selected comments", permissions=["change"])
    def set_spoiler_selected(
        self, request: HttpRequest, queryset: QuerySet[Comment]
    ) -> HttpResponse | None:
        return self._apply(request, queryset, "spoiler", is_spoiler=True)

    @admin.action(description="Clear the spoiler flag on selected comments", permissions=["change"])
    def clear_spoiler_selected(
        self, request: HttpRequest, queryset: QuerySet[Comment]
    ) -> HttpResponse | None:
        return self._apply(request, queryset, "spoiler", is_spoiler=False)

    # --- one decision: keyboard and buttons ----------------------------------

    def get_urls(self) -> list[Any]:
        decide = self.admin_site.admin_view(require_POST(self.decide_view))
        undo = self.admin_site.admin_view(require_POST(self.undo_view))
        counts = self.admin_site.admin_view(self.filter_counts_view)
        dismiss = self.admin_site.admin_view(require_POST(self.dismiss_reports_view))
        return [
            path("undo/", undo, name="moderation_comment_undo"),
            path("filters/", counts, name="moderation_comment_filters"),
            path("<path:object_id>/decide/", decide, name="moderation_comment_decide"),
            path("<path:object_id>/dismiss-reports/", dismiss, name="moderation_comment_dismiss"),
            *self.picks_urls(),
            *super().get_urls(),
        ]

    def filter_counts_view(self, request: HttpRequest) -> HttpResponse:
        """The queue's filters with their counts as they are now, for the same query
        string as the page: the desk redraws them after each decision without drawing
        the rows again."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        changelist = self.get_changelist_instance(request)
        return TemplateResponse(
            request, "admin/moderation/comment/filters.html", {"cl": changelist}
        )

    def decide_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Apply one decision; JSON for the keyboard, a redirect for the page's buttons."""
        wants_json = "application/json" in request.headers.get("Accept", "")
        if not self.has_change_permission(request):
            if wants_json:
                return JsonResponse({"error": "You may not decide comments."}, status=403)
            raise PermissionDenied
        comment = self.get_object(request, unquote(object_id))
        if comment is None:
            return JsonResponse({"error": "No such comment."}, status=404)
        if not self.has_change_permission(request, comment):
            if wants_json:
                return JsonResponse({"error": OUT_OF_SCOPE}, status=403)
            raise PermissionDenied(OUT_OF_SCOPE)
        form = DecisionForm(request.POST)
        if not form.is_valid():
            if wants_json:
                return JsonResponse({"errors": form.errors}, status=400)
            for errors in form.errors.values():
                messages.error(request, " ".join(str(e) for e in errors))
            return self._back(request, comment)
        data = form.cleaned_data
        try:
            comment = comment_decide(
                comment_id=comment.pk,
                actor=request.user,  # type: ignore[arg-type]
                decision=data["decision"],
                expected_status=data["expected_status"],
                reason_code=data["reason_code"] or "",
                reason_text=data["reason_text"] or "",
                is_spoiler=data["is_spoiler"],
            )
        except CommentConflict as conflict:
            state = comment_state(conflict.comment)
            if wants_json:
                return JsonResponse(
                    {"error": "Someone else decided this comment first.", "comment": state},
                    status=409,
                )
            messages.warning(
                request,
                f"Someone else decided this comment first: it is now {state['status_display']}"
                f" (by {state['decided_by'] or 'the system'}). Nothing was changed.",
            )
            return self._back(request, conflict.comment)
        except ValidationError as error:
            if wants_json:
                return JsonResponse({"errors": error.message_dict}, status=400)
            messages.error(request, " ".join(error.messages))
            return self._back(request, comment)
        if wants_json:
            return JsonResponse(
                {
                    "comment": comment_state(comment),
                    # A spoiler review is undone by reviewing the flag again.
                    "undo": None
                    if data["decision"] == "spoiler"
                    else self._undo_offer([comment.pk], request),
                }
            )
        messages.success(request, f"Comment #{comment.pk}: {data['decision']} done.")
        return self._back(request, comment)

    def _back(self, request: HttpRequest, comment: Comment) -> HttpResponseRedirect:
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            target = reverse("admin:moderation_comment_change", args=[comment.pk])
        return HttpResponseRedirect(target)

    # --- a comment's page ----------------------------------------------------

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        comment = self.get_object(request, unquote(object_id))
        if comment is None:
            return self._get_obj_does_not_exist_redirect(  # type: ignore[attr-defined]
                request, self.opts, object_id
            )
        if not self.has_view_or_change_permission(request, comment):
            raise PermissionDenied
        history = comment_author_history(comment, shown=AUTHOR_HISTORY_SHOWN)
        events = list(
            ModerationEvent.objects.filter(comment=comment).select_related("actor", "undoes")
        )
        context = {
            **self.admin_site.each_context(request),
            **(extra_context or {}),
            "title": f"Comment #{comment.pk}",
            "subtitle": None,
            "opts": self.opts,
            "original": comment,
            "comment": comment,
            "highlighted": highlight_comment(comment.body, comment.explanation),
            "features": explanation_features(comment.explanation),
            "score_rows": [
                (task, score_bar(comment, task), getattr(comment, f"{task}_model_version", ""))
                for task in scored_tasks()
            ],
            "others": history.others,
            "outcomes": [
                (label, history.outcomes.get(value, 0)) for value, label in Comment.Status.choices
            ],
            "same_address": history.same_address,
            "same_reader": history.same_reader,
            "events": events,
            "undoable": undoable_events(events),
            "reports": comment.reports.select_related("resolved_event__actor"),
            "dismiss_url": reverse("admin:moderation_comment_dismiss", args=[comment.pk]),
            "undo_url": reverse("admin:moderation_comment_undo"),
            "revisions": comment.revisions.all(),
            "can_feature": self.has_feature_permission(request),
            "feature_url": reverse("admin:moderation_comment_feature", args=[comment.pk]),
            "reasons": RejectReason.choices,
            "can_decide": self.has_change_permission(request, comment),
            "decide_url": reverse("admin:moderation_comment_decide", args=[comment.pk]),
            "changelist_url": reverse("admin:moderation_comment_changelist")
            + self._changelist_query(request),
            "media": self.media,
            "has_view_permission": True,
        }
        return TemplateResponse(request, "admin/moderation/comment/desk_comment.html", context)

    def _changelist_query(self, request: HttpRequest) -> str:
        preserved = request.GET.get("_changelist_filters", "")
        return f"?{preserved}" if preserved else "?queue=pending"

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        # The desk opens on the pending queue, in priority order.
        if request.method == "GET" and not request.GET:
            return HttpResponseRedirect(f"{request.path}?{QueueFilter.parameter_name}=pending")
        return super().changelist_view(
            request,
            {
                "title": "Moderation queue",
                **(extra_context or {}),
                "desk_reasons": RejectReason.choices,
                "desk_undo_seconds": int(UNDO_WINDOW.total_seconds()),
                "desk_filters_url": reverse("admin:moderation_comment_filters"),
            },
        )
