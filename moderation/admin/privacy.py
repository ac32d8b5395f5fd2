"""Admin actions on comments for an editor handling a commenter's privacy request.

Both act on the commenters (by email) of the selected comments: export downloads their
data as JSON; erase asks for confirmation, then erases it. Moderators can't run either.
"""

import json

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from moderation.models import Comment
from moderation.privacy import commenter_data_erase, commenter_data_export
from moderation.roles import EDITORS


def is_editor(user: AbstractBaseUser | AnonymousUser) -> bool:
    if not user.is_authenticated:
        return False
    groups = getattr(user, "groups", None)
    return bool(
        getattr(user, "is_superuser", False)
        or (groups is not None and groups.filter(name=EDITORS).exists())
    )


def _emails(queryset: QuerySet[Comment]) -> list[str]:
    return sorted(set(queryset.exclude(author_email="").values_list("author_email", flat=True)))


def _emails_an_editor_may_act_on(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Comment]
) -> list[str]:
    """The commenters' emails, or none (with a message) if the user is no editor or
    no comment has one."""
    if not is_editor(request.user):
        modeladmin.message_user(
            request, "Only editors can export or erase a commenter's data.", messages.ERROR
        )
        return []
    emails = _emails(queryset)
    if not emails:
        modeladmin.message_user(request, "None of these comments has an email.", messages.WARNING)
    return emails


@admin.action(description="Export the commenters' data (JSON)")
def export_commenter_data(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Comment]
) -> HttpResponse | None:
    emails = _emails_an_editor_may_act_on(modeladmin, request, queryset)
    if not emails:
        return None
    data = {"commenters": [commenter_data_export(email=email) for email in emails]}
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="commenter-data.json"'
    return response


@admin.action(description="Erase the commenters' personal data…")
def erase_commenter_data(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Comment]
) -> HttpResponse | None:
    emails = _emails_an_editor_may_act_on(modeladmin, request, queryset)
    if not emails:
        return None
    if request.POST.get("confirm") != "yes":
        return TemplateResponse(
            request,
            "admin/moderation/erase_commenter_data.html",
            {
                **modeladmin.admin_site.each_context(request),
                "title": "Erase commenters' personal data",
                "emails": emails,
                "comment_count": Comment.objects.filter(author_email__in=emails).count(),
                "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                "opts": modeladmin.model._meta,
            },
        )
    comments = requests = 0
    for email in emails:
        result = commenter_data_erase(email=email, actor=request.user)  # type: ignore[arg-type]
        comments += result.comments
        requests += result.correction_requests
    modeladmin.message_user(
        request,
        f"Erased the data of {len(emails)} commenters: {comments} comments, "
        f"{requests} correction requests.",
        messages.SUCCESS,
    )
    return None


PRIVACY_ACTIONS = [export_commenter_data, erase_commenter_data]
