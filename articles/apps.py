from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles and corrections"

    def ready(self) -> None:
        from articles.webhooks import receivers

        receivers.connect()
