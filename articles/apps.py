from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles and corrections"

    def ready(self) -> None:
        from articles.webhooks import receivers

        receivers.connect()

        from corsheaders.signals import check_request_enabled
        from django.db.models.signals import post_delete, post_save

        from articles.models import Site
        from articles.site_origins import cors_allowed, forget_site_origins

        check_request_enabled.connect(cors_allowed, dispatch_uid="articles.site_origins")
        for signal in (post_save, post_delete):
            signal.connect(forget_site_origins, sender=Site, dispatch_uid="articles.site_origins")
