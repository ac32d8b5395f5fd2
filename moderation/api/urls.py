from django.urls import path

import newsroom.lib.converters  # noqa: F401 - registers the "id" converter
from moderation.api.views import desk, engagement, public, registry, sanctions

urlpatterns = [
    path(
        "articles/<slug:slug>/comments/",
        public.ArticleCommentsView.as_view(),
        name="article-comments",
    ),
    path("comments/<id:pk>/reports/", public.CommentReportView.as_view(), name="comment-reports"),
    path("comments/<id:pk>/", engagement.OwnCommentView.as_view(), name="own-comment"),
    path(
        "comments/<id:pk>/recommend/",
        engagement.RecommendationView.as_view(),
        name="comment-recommend",
    ),
    path("moderation/queue/", desk.QueueView.as_view(), name="queue"),
    path(
        "moderation/comments/bulk/",
        desk.BulkDecisionView.as_view(),
        name="comment-bulk",
    ),
    path(
        "moderation/comments/<id:pk>/",
        desk.CommentDetailView.as_view(),
        name="comment-detail",
    ),
    path(
        "moderation/comments/<id:pk>/approve/",
        desk.ApproveView.as_view(),
        name="comment-approve",
    ),
    path(
        "moderation/comments/<id:pk>/reject/",
        desk.RejectView.as_view(),
        name="comment-reject",
    ),
    path("moderation/comments/<id:pk>/spam/", desk.SpamView.as_view(), name="comment-spam"),
    path(
        "moderation/comments/<id:pk>/spoiler/",
        desk.SpoilerView.as_view(),
        name="comment-spoiler",
    ),
    path(
        "moderation/comments/<id:pk>/dismiss-reports/",
        desk.DismissReportsView.as_view(),
        name="comment-dismiss-reports",
    ),
    path("moderation/events/<id:pk>/undo/", desk.UndoView.as_view(), name="event-undo"),
    path("moderation/sanctions/", sanctions.SanctionListView.as_view(), name="sanctions"),
    path(
        "moderation/sanctions/<id:pk>/lift/",
        sanctions.SanctionLiftView.as_view(),
        name="sanction-lift",
    ),
    path("moderation/models/", registry.ClassifierModelListView.as_view(), name="models"),
    path("moderation/models/retrain/", registry.RetrainView.as_view(), name="models-retrain"),
    path(
        "moderation/models/<id:pk>/shadow/", registry.ShadowStartView.as_view(), name="model-shadow"
    ),
    path(
        "moderation/models/<id:pk>/promote/",
        registry.ShadowPromoteView.as_view(),
        name="model-promote",
    ),
    path(
        "moderation/models/<id:pk>/discard/",
        registry.ShadowDiscardView.as_view(),
        name="model-discard",
    ),
]
