from django.urls import path

from articles import comment_actions, notice_views, views

app_name = "articles"

urlpatterns = [
    path("", views.article_list, name="list"),
    path("articles/<slug:slug>/", views.article_detail, name="detail"),
    path("articles/<slug:slug>/comments/", views.comment_post, name="comment_post"),
    path(
        "articles/<slug:slug>/suggest-correction/",
        views.correction_request,
        name="correction_request",
    ),
    path("comments/<int:comment_id>/report/", views.comment_report, name="comment_report"),
    path("corrections/", views.correction_list, name="corrections"),
    path(
        "comments/<int:comment_id>/report/illegal/",
        notice_views.comment_notice,
        name="comment_notice",
    ),
    path("comments/<int:comment_id>/edit/", comment_actions.comment_edit, name="comment_edit"),
    path(
        "comments/<int:comment_id>/delete/", comment_actions.comment_delete, name="comment_delete"
    ),
    path(
        "comments/<int:comment_id>/recommend/",
        comment_actions.comment_recommend_view,
        name="comment_recommend",
    ),
]
