from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from moderation.privacy import ips_purge


class Command(BaseCommand):
    help = "Drop IP addresses older than IP_RETENTION_DAYS (run daily, e.g. from cron or beat)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=f"Retention in days (default IP_RETENTION_DAYS, {settings.IP_RETENTION_DAYS}).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = ips_purge(older_than_days=options["days"])
        except ValueError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Dropped IP addresses from {result.comments} comments, {result.reports} reports "
            f"and {result.correction_requests} correction requests."
        )
