"""The links in mails to readers (articles.mail_views)."""

from django.urls import path

from articles import mail_views

app_name = "mail"

urlpatterns = [
    path("mail/confirm/<str:token>/", mail_views.confirm, name="confirm"),
    path("mail/unsubscribe/<str:token>/", mail_views.unsubscribe, name="unsubscribe"),
    path("decisions/<str:token>/", mail_views.decision, name="decision"),
]
