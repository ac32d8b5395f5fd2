from django.core.management.base import BaseCommand, CommandError

from articles.demo.content import ARTICLE
from articles.demo.host_page import HostPageServer, render_host_page
from articles.models import Article


class Command(BaseCommand):
    help = "Serve a publisher's page on another port that embeds the demo article's comments."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--port", type=int, default=8001)
        parser.add_argument("--comments-origin", default="http://127.0.0.1:8000")

    def handle(self, *args: object, port: int, comments_origin: str, **options: object) -> None:
        article = Article.objects.filter(slug=ARTICLE["slug"]).first()
        if article is None or not article.external_id:
            raise CommandError("Load the demo first: manage.py load_demo.")
        server = HostPageServer(port=port)
        server.publish(
            render_host_page(
                article=article, comments_origin=comments_origin, page_url=server.page_url
            )
        )
        self.stdout.write(f"A publisher's page embedding the comments: {server.page_url}")
        try:
            server.serve_forever()
        finally:
            server.server_close()
