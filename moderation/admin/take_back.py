"""Taking a decision back (undo) and dismissing readers' reports, from the desk.

Both go through the services, which write the audit event and refuse with the reason;
the keyboard gets JSON, the comment page's buttons a redirect with a message.
"""

from typing import TYPE_CHECKING, Any

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from moderation.admin.decisions import comment_state
from moderation.models import Comment, ModerationEvent
from moderation.permissions import OUT_OF_SCOPE, comments_out_of_scope
from moderation.policy import UNDO_WINDOW
from moderation.services import UNDOABLE, comment_dismiss_reports, comment_undo_batch

# Where the undo came from: the queue's few seconds, or the comment's history.
FROM_HISTORY = "history"


def undo_offer(events: list[int]) -> dict[str, Any]:
    """What the desk needs to offer "Undo" for these events, until the window closes."""
    until = timezone.now() + UNDO_WINDOW
    return {
        "events": events,
        "until": until.isoformat(),
        "seconds": int(UNDO_WINDOW.total_seconds()),
        "url": reverse("admin:moderation_comment_undo"),
    }


def undoable_events(events: list[ModerationEvent]) -> set[int]:
    """The one event of a comment's history that its "Undo" button may take back: the
    last person's action, if it is a decision or a dismissal not undone yet (the
    service checks again when asked)."""
    by_people = [e for e in events if e.actor_id is not None]
    if not by_people:
        return set()
    last = by_people[-1]
    return {last.pk} if last.action in UNDOABLE else set()


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _event_ids(request: HttpRequest) -> list[int] | None:
    values = request.POST.getlist("event")
    if not values or len(values) > 500 or not all(v.isdigit() and len(v) < 19 for v in values):
        return None
    return [int(v) for v in values]


# Mixed into the comment admin, which supplies the permissions and get_object.
_AdminBase: Any = admin.ModelAdmin if TYPE_CHECKING else object


class TakeBackViews(_AdminBase):
    """The undo and dismiss views of the comment admin."""

    def undo_view(self, request: HttpRequest) -> HttpResponse:
        """Undo one decision (the keyboard, a history row) or a bulk action's, all or none."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        ids = _event_ids(request)
        if ids is None:
            return self._refuse(request, {"event": [_("Name the decision to undo.")]}, None)
        comment_ids = list(
            ModerationEvent.objects.filter(pk__in=ids).values_list("comment_id", flat=True)
        )
        outside = comments_out_of_scope(request.user, comment_ids)
        if outside:
            return self._refuse(request, {"event": [OUT_OF_SCOPE]}, None, status=403)
        window = None if request.POST.get("from") == FROM_HISTORY else UNDO_WINDOW
        try:
            comments = comment_undo_batch(
                event_ids=ids,
                actor=request.user,  # type: ignore[arg-type]
                window=window,
            )
        except ValidationError as error:
            back = comment_ids[0] if len(set(comment_ids)) == 1 else None
            return self._refuse(request, error.message_dict, back)
        if _wants_json(request):
            return JsonResponse({"comments": [comment_state(c) for c in comments]})
        messages.success(request, _("Undone."))
        return self._to_comment(comments[0].pk if len(comments) == 1 else None)

    def dismiss_reports_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Keep the comment, close its open reports."""
        comment = self.get_object(request, unquote(object_id))
        if comment is not None and not self.has_change_permission(request, comment):
            raise PermissionDenied
        if comment is None and not self.has_change_permission(request):
            raise PermissionDenied
        try:
            comment = comment_dismiss_reports(
                comment_id=comment.pk if comment is not None else 0,
                actor=request.user,  # type: ignore[arg-type]
                reason_text=request.POST.get("reason_text", "")[:2000],
            )
        except ValidationError as error:
            return self._refuse(request, error.message_dict, comment.pk if comment else None)
        if _wants_json(request):
            return JsonResponse({"comment": comment_state(comment)})
        messages.success(request, _("Reports dismissed; the comment stays as it is."))
        return self._to_comment(comment.pk)

    def _refuse(
        self,
        request: HttpRequest,
        errors: dict[str, list[str]],
        comment_id: int | None,
        status: int = 400,
    ) -> HttpResponse:
        if _wants_json(request):
            return JsonResponse({"errors": errors}, status=status)
        for problems in errors.values():
            messages.error(request, " ".join(problems) + " " + _("Nothing was changed."))
        return self._to_comment(comment_id)

    def _to_comment(self, comment_id: int | None) -> HttpResponseRedirect:
        if comment_id is not None and Comment.objects.filter(pk=comment_id).exists():
            return HttpResponseRedirect(
                reverse("admin:moderation_comment_change", args=[comment_id])
            )
        return HttpResponseRedirect(reverse("admin:moderation_comment_changelist"))
