from django.urls import path, re_path

import newsroom.lib.converters  # noqa: F401 - registers the "id" converter
from articles.api import embed, sync, views

urlpatterns = [
    re_path(
        rf"^articles/(?P<external_id>{sync.EXTERNAL_ID_PATTERN})/$",
        sync.ArticleSyncView.as_view(),
        name="article-sync",
    ),
    path(
        "articles/<slug:slug>/correction-requests/",
        views.CorrectionRequestSubmitView.as_view(),
        name="article-correction-requests",
    ),
    path("moderation/corrections/", views.CorrectionInboxView.as_view(), name="corrections"),
    path(
        "moderation/corrections/<id:pk>/",
        views.CorrectionRequestDetailView.as_view(),
        name="correction-detail",
    ),
    path(
        "moderation/corrections/<id:pk>/start/",
        views.StartView.as_view(),
        name="correction-start",
    ),
    path(
        "moderation/corrections/<id:pk>/resolve/",
        views.ResolveView.as_view(),
        name="correction-resolve",
    ),
    path(
        "moderation/corrections/<id:pk>/reject/",
        views.RejectView.as_view(),
        name="correction-reject",
    ),
    path(
        "moderation/corrections/<id:pk>/duplicate/",
        views.DuplicateView.as_view(),
        name="correction-duplicate",
    ),
    # What embed.js asks for on a host page (CORS per site: articles.site_origins).
    path("embed/articles/", embed.EmbedArticleCreateView.as_view(), name="embed-article-create"),
    path(
        "embed/articles/<str:external_id>/",
        embed.EmbedArticleView.as_view(),
        name="embed-article",
    ),
]
