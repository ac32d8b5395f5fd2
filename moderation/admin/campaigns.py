"""Campaigns in the desk: a cluster of near-identical comments shown and decided as one item."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.views.decorators.http import require_POST

from moderation.bulk import CONFLICT, NOT_FOUND, BulkRefused
from moderation.campaigns.selectors import campaign_list, campaign_members
from moderation.campaigns.services import (
    CLUSTER_ACTIONS,
    DECIDABLE,
    AuthorBans,
    CampaignConflict,
    cluster_ban_authors,
    cluster_decide,
    cluster_dismiss,
)
from moderation.models import Comment, CommentCluster
from moderation.trust import commenter_key

SEEN_PREFIX = "seen-"


class ClusterActionForm(forms.Form):
    action = forms.ChoiceField(choices=list(CLUSTER_ACTIONS.items()))
    # Kept with each ban; "ban all authors" says when it is missing.
    reason = forms.CharField(required=False, strip=False)


def _bans_said(bans: AuthorBans) -> str:
    return (
        f"Ban all authors: {len(bans.banned)} banned; {len(bans.already)} already banned "
        f"or suspended, left as they were; {bans.without_email} without an email address, "
        "who cannot be banned."
    )


def _seen(request: HttpRequest) -> dict[int, str]:
    """The status of each comment as the page showed it (hidden inputs seen-<id>)."""
    seen = {}
    statuses = set(Comment.Status.values)
    for key in request.POST:
        value = request.POST.get(key, "")
        if key.startswith(SEEN_PREFIX) and key[len(SEEN_PREFIX) :].isdigit():
            if value not in statuses:
                raise ValidationError({key: [f"Unknown status {value!r}."]})
            seen[int(key[len(SEEN_PREFIX) :])] = value
    return seen


@admin.register(CommentCluster)
class CommentClusterAdmin(admin.ModelAdmin):
    list_display = [
        "campaign",
        "state",
        "size",
        "authors",
        "article_count",
        "first_seen",
        "last_seen",
    ]
    list_filter = ["state"]
    list_display_links = ["campaign"]
    list_per_page = 50

    class Media:
        css = {"all": ["moderation/desk.css", "moderation/campaigns.css"]}

    # Deciding a campaign decides comments: the comment permissions govern it.
    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return request.user.has_perm("moderation.view_comment")

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return request.user.has_perm("moderation.change_comment")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[CommentCluster]:
        return campaign_list()

    @admin.display(description="Campaign")
    def campaign(self, cluster: CommentCluster) -> SafeString:
        first = Comment.objects.filter(cluster_membership__cluster=cluster).order_by("pk").first()
        text = Truncator(first.body).chars(90) if first else ""
        return format_html("#{} <span class='desk-muted' dir='auto'>{}</span>", cluster.pk, text)

    @admin.display(description="Articles", ordering="articles")
    def article_count(self, cluster: CommentCluster) -> int:
        return int(getattr(cluster, "articles", 0))

    def get_urls(self) -> list[Any]:
        decide = self.admin_site.admin_view(require_POST(self.decide_view))
        return [
            path("<path:object_id>/decide/", decide, name="moderation_commentcluster_decide"),
            *super().get_urls(),
        ]

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        cluster = self.get_object(request, unquote(object_id))
        if cluster is None:
            raise Http404("No such campaign.")
        return self._page(request, cluster)

    def _page(
        self, request: HttpRequest, cluster: CommentCluster, status: int = 200
    ) -> HttpResponse:
        members = campaign_members(cluster)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Campaign #{cluster.pk}",
            "cluster": cluster,
            "members": members,
            "reason": cluster.reason,
            "is_campaign": cluster.is_campaign,
            "authors_shown": len({(m.author_email or m.author_name) for m in members}),
            "emails_shown": len({key for m in members if (key := commenter_key(m))}),
            "articles": sorted({m.article.title for m in members}),
            "undecided": [m for m in members if m.status in DECIDABLE],
            "can_decide": self.has_change_permission(request)
            and cluster.state != CommentCluster.State.DISMISSED,
            "decide_url": reverse("admin:moderation_commentcluster_decide", args=[cluster.pk]),
            "changelist_url": reverse("admin:moderation_commentcluster_changelist"),
            "opts": self.model._meta,
            "media": self.media,
        }
        return TemplateResponse(
            request, "admin/moderation/commentcluster/campaign.html", context, status=status
        )

    def decide_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Reject all, spam all, ban all authors or not a campaign; 409 with the page when
        it moved on."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        cluster = self.get_object(request, unquote(object_id))
        if cluster is None:
            raise Http404("No such campaign.")
        form = ClusterActionForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError(form.errors.get_json_data())
            action = form.cleaned_data["action"]
            if action == "dismiss":
                released = cluster_dismiss(cluster_id=cluster.pk, actor=request.user)  # type: ignore[arg-type]
                done = f"Not a campaign: {len(released)} held comment(s) released to the policy."
            elif action == "ban":
                bans = cluster_ban_authors(
                    cluster_id=cluster.pk,
                    actor=request.user,  # type: ignore[arg-type]
                    reason=form.cleaned_data["reason"],
                    seen_ids=list(_seen(request)),
                )
                done = _bans_said(bans)
            else:
                outcomes = cluster_decide(
                    cluster_id=cluster.pk,
                    action=action,
                    actor=request.user,  # type: ignore[arg-type]
                    seen=_seen(request),
                )
                done = f"{CLUSTER_ACTIONS[action]}: {len(outcomes)} comment(s) decided."
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return self._page(request, cluster, status=400)
        except CampaignConflict as conflict:
            messages.warning(request, str(conflict))
            cluster.refresh_from_db()
            return self._page(request, cluster, status=409)
        except BulkRefused as refused:
            moved = [o.comment_id for o in refused.outcomes if o.outcome in (CONFLICT, NOT_FOUND)]
            messages.warning(
                request,
                "Someone else decided "
                + ", ".join(f"#{pk}" for pk in moved)
                + " first; nothing was changed. Check the comments below and decide again.",
            )
            return self._page(request, cluster, status=409)
        messages.success(request, done)
        return HttpResponseRedirect(
            reverse("admin:moderation_commentcluster_change", args=[cluster.pk])
        )
