from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from articles.feeds import FeedError
from articles.models import Site
from articles.services import site_feed_pull


class Command(BaseCommand):
    help = (
        "Upsert the articles of a site's RSS or Atom feed (its feed URL, or --file). "
        "Run again, it changes only what the feed changed."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--site", help="The site's slug (default: the default site).")
        parser.add_argument("--file", help="Read the feed from this file instead of its URL.")

    def handle(self, *args: Any, **options: Any) -> None:
        site = Site.objects.default()
        if options["site"]:
            found = Site.objects.filter(slug=options["site"]).first()
            if found is None:
                raise CommandError(f"No site {options['site']!r}.")
            site = found
        data = None
        if options["file"]:
            try:
                data = Path(options["file"]).read_bytes()
            except OSError as error:
                raise CommandError(f"Cannot read {options['file']}: {error.strerror}.") from None
        elif not site.feed_url:
            raise CommandError(f"The site {site.slug!r} has no feed URL; set one or use --file.")
        try:
            result = site_feed_pull(site=site, data=data)
        except FeedError as error:
            raise CommandError(str(error)) from None
        for message in result.errors:
            self.stderr.write(f"Skipped: {message}")
        self.stdout.write(
            f"{result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged, {len(result.errors)} skipped."
        )
