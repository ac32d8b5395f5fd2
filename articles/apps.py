from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles and corrections"

    def ready(self) -> None:
        from corsheaders.signals import check_request_enabled

        from articles.site_origins import cors_allowed

        check_request_enabled.connect(cors_allowed, dispatch_uid="articles.site_origins")
