"""Bans and suspensions in the desk: imposed from a comment's page, listed, lifted.

Whoever may decide comments may sanction their authors. The list is the record: each
sanction with who imposed it and why, and who lifted it, when and why.
"""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.views.decorators.http import require_POST

from moderation.models import SANCTION_REASON_MAX_LENGTH, Comment, CommenterSanction
from moderation.sanctions import (
    SanctionConflict,
    commenter_sanction_impose,
    commenter_sanction_lift,
)
from moderation.selectors import SANCTION_STATES, commenter_sanction_list
from newsroom.api.fields import MAX_ID

DECIDE_COMMENTS = "moderation.change_comment"


def _id(value: str) -> int | None:
    """A row id a column can hold, or None."""
    value = unquote(value)
    return int(value) if value.isascii() and value.isdigit() and 0 < int(value) <= MAX_ID else None


def may_sanction(request: HttpRequest) -> bool:
    return request.user.is_active and request.user.has_perm(DECIDE_COMMENTS)


class SanctionForm(forms.Form):
    """What the comment page's form sends; the service judges the values."""

    target = forms.ChoiceField(
        choices=[("email", "this email"), ("domain", "every address at its domain")]
    )
    kind = forms.ChoiceField(choices=CommenterSanction.Kind.choices)
    until = forms.DateTimeField(
        required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    reason = forms.CharField(required=False, max_length=SANCTION_REASON_MAX_LENGTH)


class SanctionStateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [
            ("active", "In force"),
            ("expired", "Expired"),
            ("lifted", "Lifted"),
            ("all", "All"),
        ]

    def choices(self, changelist: Any) -> Any:
        # "In force" is the default: the "All" Django adds would mean the same as ours.
        for lookup, title in self.lookup_choices:
            yield {
                "selected": (self.value() or "active") == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[CommenterSanction]
    ) -> QuerySet[CommenterSanction]:
        state = self.value() or "active"
        if state in SANCTION_STATES:
            return queryset.filter(SANCTION_STATES[state](timezone.now()))
        return queryset


@admin.register(CommenterSanction)
class CommenterSanctionAdmin(admin.ModelAdmin):
    list_display = (
        "target_cell",
        "kind",
        "until",
        "reason",
        "created_by",
        "created_at",
        "state_cell",
        "lift_cell",
    )
    list_filter = (SanctionStateFilter, "kind")
    list_select_related = ("created_by", "lifted_by")
    search_fields = ("match_email", "match_domain", "reason")
    search_help_text = "Search the address, the domain or the reason."
    list_display_links = None
    list_per_page = 50

    def get_queryset(self, request: HttpRequest) -> QuerySet[CommenterSanction]:
        return commenter_sanction_list(state=None)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return may_sanction(request)

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return may_sanction(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # from a comment's page, where the commenter is known

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.display(description="Commenter", ordering="match_email")
    def target_cell(self, sanction: CommenterSanction) -> SafeString:
        return format_html("<bdi>{}</bdi>", sanction.target)

    @admin.display(description="State")
    def state_cell(self, sanction: CommenterSanction) -> SafeString:
        if sanction.lifted_at is None:
            return format_html(
                '<span class="desk-sanction-{}">{}</span>', sanction.state, sanction.state
            )
        return format_html(
            '<span class="desk-sanction-lifted">lifted by {} {}</span>{}',
            sanction.lifted_by.get_username() if sanction.lifted_by else "someone",
            timezone.localtime(sanction.lifted_at).strftime("%d %b %Y %H:%M"),
            format_html(": <bdi>{}</bdi>", sanction.lift_reason) if sanction.lift_reason else "",
        )

    @admin.display(description="")
    def lift_cell(self, sanction: CommenterSanction) -> SafeString | str:
        # The rows sit inside the changelist's own form (with its CSRF token): the button
        # sends that form to the lift URL, with this row's reason.
        if sanction.lifted_at is not None:
            return ""
        return format_html(
            '<span class="desk-lift"><input type="text" name="reason-{}" maxlength="{}" '
            'placeholder="Why (optional)" aria-label="Why lift it">'
            '<button type="submit" class="button" formaction="{}">Lift</button></span>',
            sanction.pk,
            SANCTION_REASON_MAX_LENGTH,
            reverse("admin:moderation_commentersanction_lift", args=[sanction.pk]),
        )

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        return super().changelist_view(
            request, {"title": "Banned and suspended commenters", **(extra_context or {})}
        )

    # --- imposing and lifting ----------------------------------------------------

    def get_urls(self) -> list[Any]:
        def view(function: Any) -> Any:
            return self.admin_site.admin_view(require_POST(function))

        return [
            path(
                "from-comment/<path:comment_id>/",
                view(self.impose_view),
                name="moderation_commentersanction_impose",
            ),
            path(
                "<path:object_id>/lift/",
                view(self.lift_view),
                name="moderation_commentersanction_lift",
            ),
            *super().get_urls(),
        ]

    def impose_view(self, request: HttpRequest, comment_id: str) -> HttpResponse:
        """Ban or suspend the author of a comment (their email or its domain)."""
        if not may_sanction(request):
            raise PermissionDenied
        pk = _id(comment_id)
        comment = Comment.objects.filter(pk=pk).only("author_email").first() if pk else None
        if comment is None:
            messages.error(request, "No such comment.")
            return HttpResponseRedirect(reverse("admin:moderation_comment_changelist"))
        back = HttpResponseRedirect(reverse("admin:moderation_comment_change", args=[comment.pk]))
        form = SanctionForm(request.POST)
        if not form.is_valid():
            for field, errors in form.errors.items():
                said = " ".join(str(e) for e in errors)
                messages.error(request, f"{field}: {said} Nothing was changed.")
            return back
        data = form.cleaned_data
        if not comment.author_email:
            messages.error(request, "This comment has no email: there is nobody to sanction.")
            return back
        target = {"email": comment.author_email}
        if data["target"] == "domain":
            target = {"domain": comment.author_email.rpartition("@")[2]}
        try:
            sanction = commenter_sanction_impose(
                kind=data["kind"],
                actor=request.user,  # type: ignore[arg-type]
                reason=data["reason"],
                until=data["until"] if data["kind"] == CommenterSanction.Kind.SUSPENSION else None,
                **target,
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, f"{message} Nothing was changed.")
            return back
        messages.success(request, f"{sanction}: {sanction.reason}")
        return back

    def lift_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        if not may_sanction(request):
            raise PermissionDenied
        back = HttpResponseRedirect(reverse("admin:moderation_commentersanction_changelist"))
        pk = _id(object_id)
        if pk is None:
            messages.error(request, "No such sanction.")
            return back
        try:
            sanction = commenter_sanction_lift(
                sanction_id=pk,
                actor=request.user,  # type: ignore[arg-type]
                reason=request.POST.get(f"reason-{pk}", ""),
            )
        except CommenterSanction.DoesNotExist:
            messages.error(request, "No such sanction.")
            return back
        except SanctionConflict as conflict:
            by = conflict.sanction.lifted_by
            who = by.get_username() if by else "someone"
            messages.warning(request, f"{conflict.sanction} was already lifted by {who}.")
            return back
        except ValidationError as error:
            messages.error(request, " ".join(error.messages) + " Nothing was changed.")
            return back
        messages.success(request, f"{sanction} lifted.")
        return back
