import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from moderation.privacy import commenter_data_export


class Command(BaseCommand):
    help = (
        "Print (or write to a file) everything stored about the commenter with this email, "
        "or about the reader with this id."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        whose = parser.add_mutually_exclusive_group(required=True)
        whose.add_argument("--email")
        whose.add_argument("--reader", type=int, help="A reader's id (signed in by the site).")
        parser.add_argument("--output", help="Write the JSON here instead of to stdout.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            data = commenter_data_export(email=options["email"], reader_id=options["reader"])
        except ValueError as error:
            raise CommandError(str(error)) from None
        text = json.dumps(data, ensure_ascii=False, indent=2)
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8") as out:
                out.write(text + "\n")
            self.stderr.write(
                f"Wrote {len(data['comments'])} comments and "
                f"{len(data['correction_requests'])} correction requests to {options['output']}."
            )
        else:
            self.stdout.write(text)
