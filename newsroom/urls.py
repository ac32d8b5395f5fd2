from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("articles.urls")),
]

# A database that is away gives 503 with Retry-After, never a 500 page.
handler500 = "newsroom.errors.server_error"
