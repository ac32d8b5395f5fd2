"""Editors' picks in the desk: bulk actions on the queue and a button on a comment's page.

Only editors choose picks (newsroom.api.permissions.is_editor, the one test of the role);
the service (moderation.engagement.services.comment_feature) does the writing.
"""

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from moderation.engagement.services import comment_feature
from moderation.models import Comment
from newsroom.api.permissions import is_editor


class EditorsPicksMixin:
    """For the comment admin: "Make editors' picks", "Remove from editors' picks", and
    the comment page's pick button (its URL: admin:moderation_comment_feature)."""

    admin_site: admin.AdminSite

    def has_feature_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_editor(request.user)  # type: ignore[arg-type]

    def _feature(self, request: HttpRequest, comment_ids: list[int], featured: bool) -> None:
        done, refused = 0, []
        for comment_id in comment_ids:
            try:
                comment_feature(comment_id=comment_id, actor=request.user, featured=featured)  # type: ignore[arg-type]
            except ValidationError:
                refused.append(str(comment_id))
            else:
                done += 1
        if done:
            messages.success(request, _("Editors’ picks changed: %(count)d.") % {"count": done})
        if refused:
            messages.warning(
                request,
                _("Only published comments can be picks; left as they were: %(ids)s.")
                % {"ids": ", ".join(refused)},
            )

    @admin.action(description=gettext_lazy("Make editors’ picks"), permissions=["feature"])
    def feature_selected(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        self._feature(request, list(queryset.values_list("pk", flat=True)), featured=True)

    @admin.action(description=gettext_lazy("Remove from editors’ picks"), permissions=["feature"])
    def unfeature_selected(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        self._feature(request, list(queryset.values_list("pk", flat=True)), featured=False)

    def picks_urls(self) -> list[Any]:
        view = self.admin_site.admin_view(require_POST(self.feature_view))
        return [path("<path:object_id>/feature/", view, name="moderation_comment_feature")]

    def feature_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        if not self.has_feature_permission(request):
            raise PermissionDenied
        comment = self.get_object(request, unquote(object_id))  # type: ignore[attr-defined]
        if comment is None:
            raise PermissionDenied
        self._feature(request, [comment.pk], featured=request.POST.get("featured") == "1")
        return HttpResponseRedirect(reverse("admin:moderation_comment_change", args=[comment.pk]))
