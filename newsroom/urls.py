from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from articles import embed_assets
from newsroom.api.views import api_not_found

api_v1: list[URLPattern | URLResolver] = [
    path("", include("moderation.api.urls")),
    path("", include("articles.api.urls")),
    # Last: a path that names no endpoint (a slug with a space, an id too long) gets JSON.
    re_path(r"^", api_not_found),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The reader's language switch (Django's set_language: a cookie, then back).
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    # The comments on any page: <script src="https://COMMENTS-HOST/embed.js" async>.
    path("embed.js", embed_assets.embed_script, name="embed-js"),
    path("embed.css", embed_assets.embed_stylesheet, name="embed-css"),
    path("", include("articles.urls")),
    path("", include("articles.mail_urls")),
]

# A database that is away gives 503 with Retry-After, never a 500 page.
handler500 = "newsroom.errors.server_error"
