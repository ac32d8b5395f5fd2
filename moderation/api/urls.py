from django.urls import path

import newsroom.lib.converters  # noqa: F401 - registers the "id" converter
from moderation.api import views

urlpatterns = [
    path(
        "articles/<slug:slug>/comments/",
        views.ArticleCommentsView.as_view(),
        name="article-comments",
    ),
    path("comments/<id:pk>/reports/", views.CommentReportView.as_view(), name="comment-reports"),
    path("moderation/queue/", views.QueueView.as_view(), name="queue"),
    path(
        "moderation/comments/bulk/",
        views.BulkDecisionView.as_view(),
        name="comment-bulk",
    ),
    path(
        "moderation/comments/<id:pk>/",
        views.CommentDetailView.as_view(),
        name="comment-detail",
    ),
    path(
        "moderation/comments/<id:pk>/approve/",
        views.ApproveView.as_view(),
        name="comment-approve",
    ),
    path(
        "moderation/comments/<id:pk>/reject/",
        views.RejectView.as_view(),
        name="comment-reject",
    ),
    path("moderation/comments/<id:pk>/spam/", views.SpamView.as_view(), name="comment-spam"),
    path(
        "moderation/comments/<id:pk>/spoiler/",
        views.SpoilerView.as_view(),
        name="comment-spoiler",
    ),
    path("moderation/models/", views.ClassifierModelListView.as_view(), name="models"),
    path("moderation/models/retrain/", views.RetrainView.as_view(), name="models-retrain"),
]
