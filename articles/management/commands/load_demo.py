from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from articles.demo.content import ARTICLE, COMMENTS, HOST_PAGE_ORIGINS, SECTION
from articles.models import Article, Section, Site
from articles.services import article_create, site_allow_origins
from moderation.comment_scoring import score_comment
from moderation.models import Comment
from moderation.services import comment_approve, comment_submit

DEMO_IP = "127.0.0.1"


class Command(BaseCommand):
    help = "Load the demo article and its reader comments, scored by the active models."

    def handle(self, *args: object, **options: object) -> None:
        # The demo host page embeds the comments from another origin: the site lists it.
        site_allow_origins(site=Site.objects.default(), origins=HOST_PAGE_ORIGINS)
        if Article.objects.filter(slug=ARTICLE["slug"]).exists():
            self.stdout.write("Demo article already loaded.")
            return
        with transaction.atomic():
            article = article_create(**ARTICLE, section=Section.objects.named(SECTION))
            by_key: dict[str, Comment] = {}
            for key, parent_key, author, email, body, spoiler_tag in COMMENTS:
                parent = by_key.get(parent_key) if parent_key else None
                if parent is not None and parent.status != Comment.Status.APPROVED:
                    # Replies need a published parent: an editor approves it, as on the desk.
                    parent = comment_approve(comment_id=parent.pk, actor=_demo_editor())
                comment = comment_submit(
                    article=article,
                    parent_id=parent.pk if parent else None,
                    author_name=author,
                    author_email=email,
                    body=body,
                    spoiler_tag=spoiler_tag,
                    ip_address=DEMO_IP,
                    user_agent="Mozilla/5.0 (demo)",
                )
                by_key[key] = score_comment(comment.pk) or comment
        counts = {s: article.comments.filter(status=s).count() for s in Comment.Status.values}
        self.stdout.write(f"Loaded “{article.title}” with comments: {counts}")


def _demo_editor():  # type: ignore[no-untyped-def]
    # The account `ensure_editor` creates; a bare one if the demo is loaded on its own.
    user, _ = get_user_model().objects.get_or_create(username="editor", defaults={"is_staff": True})
    return user
