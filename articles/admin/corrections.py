"""The corrections desk: requests grouped by passage, resolved into published corrections."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from articles import services
from articles.admin.passages import OPEN, group_requests, passage_html
from articles.models import Correction, CorrectionRequest, CorrectionThanks

ACTIONS = [
    ("start", "Start"),
    ("reject", "Reject"),
    ("duplicate", "Mark duplicate"),
    ("resolve", "Resolve"),
]


class CorrectionActionForm(forms.Form):
    action = forms.ChoiceField(choices=ACTIONS)
    note = forms.CharField(max_length=2000, required=False)
    duplicate_of = forms.IntegerField(required=False, min_value=1)
    correction_text = forms.CharField(max_length=2000, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("action") == "duplicate" and not data.get("duplicate_of"):
            self.add_error("duplicate_of", "Say which request this one repeats.")
        if data.get("action") == "resolve" and not (data.get("correction_text") or "").strip():
            self.add_error("correction_text", "Write the correction to publish.")
        return data


@admin.register(CorrectionRequest)
class CorrectionRequestAdmin(admin.ModelAdmin):
    list_display = ("article", "quote", "suggestion", "status", "created_at")
    list_filter = ("status",)
    search_fields = ("quote", "suggestion", "email")
    list_select_related = ("article",)
    # The status and what closed the request change only through the desk's actions
    # (the services), which lock the row, record who acted and thank the reader.
    readonly_fields = (
        "status",
        "duplicate_of",
        "correction",
        "article",
        "article_updated_at",
        "paragraph_text",
        "quote",
        "prefix",
        "suffix",
        "paragraph_index",
        "offset",
        "suggestion",
        "email",
        "ip_address",
        "created_at",
        "handled_by",
        "handled_at",
        "thank_you_email",
    )

    class Media:
        css = {"all": ["moderation/desk.css"]}

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description="Thank-you email")
    def thank_you_email(self, correction_request: CorrectionRequest) -> str:
        thanks = CorrectionThanks.objects.filter(request=correction_request).first()
        if thanks is None:
            return "–"
        when = timezone.localtime(thanks.sent_at or thanks.queued_at)
        parts = [thanks.get_status_display(), f"{when:%d %b %Y %H:%M}"]
        if thanks.attempts:
            parts.append(f"{thanks.attempts} attempt(s)")
        if thanks.error:
            parts.append(thanks.error)
        return ", ".join(parts)

    def get_urls(self) -> list[Any]:
        wrap = self.admin_site.admin_view
        return [
            path("grouped/", wrap(self.grouped_view), name="articles_correctionrequest_grouped"),
            path(
                "<path:object_id>/act/",
                wrap(require_POST(self.act_view)),
                name="articles_correctionrequest_act",
            ),
            *super().get_urls(),
        ]

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        # The desk opens on the grouped view; the plain table keeps its filters and search.
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        if request.method == "GET" and not request.GET:
            return HttpResponseRedirect(reverse("admin:articles_correctionrequest_grouped"))
        return super().changelist_view(request, extra_context)

    def open_requests(self) -> QuerySet[CorrectionRequest]:
        return CorrectionRequest.objects.filter(status__in=OPEN).select_related(
            "article__section", "handled_by"
        )

    def grouped_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        groups = group_requests(list(self.open_requests()))
        context = {
            **self.admin_site.each_context(request),
            "title": "Correction requests",
            "opts": self.opts,
            "media": self.media,
            "groups": groups,
            "open_count": sum(len(g.requests) for g in groups),
            "can_change": self.has_change_permission(request),
            "can_resolve": self.has_change_permission(request)
            and request.user.has_perm("articles.add_correction"),
            "table_url": reverse("admin:articles_correctionrequest_changelist")
            + "?status__exact=new",
            "recent": Correction.objects.select_related("article")[:5],
        }
        return TemplateResponse(request, "admin/articles/correctionrequest/grouped.html", context)

    def act_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        if not self.has_change_permission(request):
            raise PermissionDenied
        correction_request = self.get_object(request, unquote(object_id))
        back = reverse("admin:articles_correctionrequest_grouped")
        if correction_request is None:
            messages.error(request, "No such correction request.")
            return HttpResponseRedirect(back)
        form = CorrectionActionForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                messages.error(request, " ".join(str(e) for e in errors))
            return HttpResponseRedirect(f"{back}#request-{correction_request.pk}")
        data = form.cleaned_data
        if data["action"] == "resolve" and not request.user.has_perm("articles.add_correction"):
            raise PermissionDenied
        confirmed = request.POST.get("confirmed") == "1"
        if data["action"] == "resolve" and not confirmed and correction_request.status in OPEN:
            # A second look before anything is published or any reader is written to.
            return self._preview(request, correction_request, data["correction_text"])
        try:
            self._act(request, correction_request.pk, data)
        except services.CorrectionRequestConflict as conflict:
            messages.warning(
                request,
                f"Request #{conflict.request.pk} is already "
                f"{conflict.request.get_status_display().lower()}; nothing was changed.",
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return HttpResponseRedirect(f"{back}#request-{correction_request.pk}")

    def _preview(
        self, request: HttpRequest, lead: CorrectionRequest, text: str
    ) -> TemplateResponse:
        """The correction as readers will see it, beside the passage the readers quoted."""
        others = [int(v) for v in request.POST.getlist("others") if v.isdigit()]
        article = lead.article
        context = {
            **self.admin_site.each_context(request),
            "title": _("Check the correction before publishing"),
            "opts": self.opts,
            "media": self.media,
            "lead": lead,
            "article": article,
            "passage": passage_html(lead) if lead.quote else None,
            "correction": Correction(
                article=article, text=" ".join(text.split()), published_at=timezone.now()
            ),
            "text": text,
            "others": others,
            "emails": len(
                services.readers_to_thank(
                    list(
                        CorrectionRequest.objects.filter(
                            pk__in=[lead.pk, *others], status__in=OPEN
                        ).order_by("created_at", "pk")
                    )
                )
            ),
            "article_change_url": reverse("admin:articles_article_change", args=[article.pk]),
            "article_edited_since": article.updated_at > lead.article_updated_at,
            "back_url": reverse("admin:articles_correctionrequest_grouped") + f"#request-{lead.pk}",
        }
        return TemplateResponse(request, "admin/articles/correctionrequest/preview.html", context)

    def _act(self, request: HttpRequest, request_id: int, data: dict[str, Any]) -> None:
        actor = request.user
        action = data["action"]
        if action == "start":
            services.correction_request_start(request_id=request_id, actor=actor)  # type: ignore[arg-type]
            messages.success(request, f"Request #{request_id} is in progress.")
        elif action == "reject":
            services.correction_request_reject(
                request_id=request_id,
                actor=actor,  # type: ignore[arg-type]
                note=data["note"] or "",
            )
            messages.success(request, f"Request #{request_id} rejected.")
        elif action == "duplicate":
            services.correction_request_mark_duplicate(
                request_id=request_id,
                actor=actor,  # type: ignore[arg-type]
                duplicate_of_id=data["duplicate_of"],
            )
            messages.success(request, f"Request #{request_id} marked a duplicate.")
        elif action == "resolve":
            # Resolving a group: its other open requests report the same error.
            others = [int(v) for v in request.POST.getlist("others") if v.isdigit()]
            resolution = services.correction_requests_resolve(
                request_id=request_id,
                actor=actor,  # type: ignore[arg-type]
                correction_text=data["correction_text"],
                also=others,
            )
            self._report_resolution(request, resolution)

    def _report_resolution(self, request: HttpRequest, resolution: services.Resolution) -> None:
        more = len(resolution.resolved) - 1
        parts = [f"Correction published on “{resolution.correction.article.title}”."]
        if more:
            parts.append(f"{more} more request(s) resolved with it.")
        if resolution.thanked:
            parts.append(f"Thank-you email queued for {resolution.thanked} reader(s).")
        messages.success(request, " ".join(parts))
        for other_id in resolution.left:
            messages.warning(request, f"Request #{other_id} was left as it is.")
