"""Published corrections in the admin: read-only, amended or withdrawn through the services."""

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from articles import services
from articles.models import Correction, CorrectionRevision


class CorrectionRevisionInline(admin.TabularInline):
    model = CorrectionRevision
    fields = ("created_at", "created_by", "kind", "old_text", "new_text", "reason")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    list_display = ("article", "text", "published_at", "published_by", "amended_at", "withdrawn_at")
    list_select_related = ("article", "published_by")
    # Published text changes only as a revision (Amend) and never goes (Withdraw): the
    # stock form shows everything and saves nothing.
    readonly_fields = (
        "article",
        "text",
        "published_at",
        "published_by",
        "amended_at",
        "withdrawn_at",
        "withdrawn_reason",
    )
    inlines = [CorrectionRevisionInline]
    change_form_template = "admin/articles/correction/change_form.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        # Nothing to save in the stock form: Amend and Withdraw below do the changing.
        extra = {
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
            "show_delete": False,
            **(extra_context or {}),
        }
        return super().change_view(request, object_id, form_url, extra)

    def get_urls(self) -> list[Any]:
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/amend/",
                wrap(require_POST(self.amend_view)),
                name="articles_correction_amend",
            ),
            path(
                "<path:object_id>/withdraw/",
                wrap(require_POST(self.withdraw_view)),
                name="articles_correction_withdraw",
            ),
            *super().get_urls(),
        ]

    def amend_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return self._revise(request, object_id, amend=True)

    def withdraw_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return self._revise(request, object_id, amend=False)

    def _revise(self, request: HttpRequest, object_id: str, *, amend: bool) -> HttpResponse:
        correction = self.get_object(request, unquote(object_id))
        if correction is None or not self.has_change_permission(request, correction):
            raise PermissionDenied
        try:
            if amend:
                services.correction_amend(
                    correction_id=correction.pk,
                    text=request.POST.get("text", ""),
                    actor=request.user,  # type: ignore[arg-type]
                )
                messages.success(request, _("Correction updated; the old text is kept below."))
            else:
                services.correction_withdraw(
                    correction_id=correction.pk,
                    reason=request.POST.get("reason", ""),
                    actor=request.user,  # type: ignore[arg-type]
                )
                messages.success(request, _("Correction withdrawn; the article says why."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages) + " " + _("Nothing was changed."))
        return HttpResponseRedirect(
            reverse("admin:articles_correction_change", args=[correction.pk])
        )
