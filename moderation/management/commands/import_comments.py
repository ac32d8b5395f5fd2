from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from articles.models import Site
from moderation.importing.disqus import read_disqus
from moderation.importing.services import comments_import
from moderation.importing.wxr import read_wxr

READERS = {"disqus": read_disqus, "wxr": read_wxr}


class Command(BaseCommand):
    help = (
        "Import articles and threaded comments from a Disqus or WordPress (WXR) export. "
        "Streamed, so any size runs in bounded memory; a second run adds nothing."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="The export's XML file.")
        parser.add_argument("--format", required=True, choices=sorted(READERS))
        parser.add_argument("--site", help="The site's slug (default: the default site).")
        parser.add_argument(
            "--score",
            action="store_true",
            help="Score the imported comments too; their statuses become training labels.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        site = self._site(options["site"])
        try:
            source = open(options["file"], "rb")  # noqa: SIM115 - closed below
        except OSError as error:
            raise CommandError(f"Cannot read {options['file']}: {error.strerror}.") from None
        with source:
            result = comments_import(
                items=READERS[options["format"]](source),
                fmt=options["format"],
                site=site,
                score=options["score"],
            )
        for message in result.errors:
            self.stderr.write(f"Skipped: {message}")
        self.stdout.write(
            f"{result.articles_created} article(s) and {result.comments_created} comment(s) "
            f"imported; {result.comments_existing} comment(s) were already here; "
            f"{len(result.errors)} item(s) skipped."
        )
        if result.stopped:
            # What came before the broken part is imported; a rerun skips it.
            raise CommandError(f"{options['file']}: {result.stopped}")
        if result.errors:
            raise CommandError(f"{len(result.errors)} item(s) could not be imported (above).")

    def _site(self, slug: str | None) -> Site:
        if slug is None:
            return Site.objects.default()
        site = Site.objects.filter(slug=slug).first()
        if site is None:
            raise CommandError(f"No site {slug!r}.")
        return site
