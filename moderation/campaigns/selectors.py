"""Reads for the desk's campaigns."""

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from moderation.models import Comment, CommentCluster


def campaign_list() -> QuerySet[CommentCluster]:
    """Clusters over the threshold (CAMPAIGN_MIN_SIZE, CAMPAIGN_MIN_AUTHORS), newest
    activity first, with the number of articles they touch and of comments still shown
    or waiting."""
    return (
        CommentCluster.objects.filter(
            size__gte=settings.CAMPAIGN_MIN_SIZE, authors__gte=settings.CAMPAIGN_MIN_AUTHORS
        )
        .annotate(
            articles=Count("members__comment__article", distinct=True),
            undecided=Count(
                "members",
                filter=Q(members__comment__status__in=["pending", "approved"]),
            ),
        )
        .order_by("-last_seen", "-id")
    )


def campaign_members(cluster: CommentCluster) -> list[Comment]:
    """The cluster's comments, oldest first, with their articles and membership."""
    return list(
        Comment.objects.filter(cluster_membership__cluster=cluster)
        .select_related("article", "cluster_membership", "decided_by")
        .order_by("created_at", "pk")
    )
