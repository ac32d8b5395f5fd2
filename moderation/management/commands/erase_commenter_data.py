from argparse import ArgumentParser
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from moderation.privacy import commenter_data_erase
from moderation.roles import EDITORS


class Command(BaseCommand):
    help = (
        "Erase a commenter's personal data (name, email, text, IP, user agent) from their "
        "comments and correction requests. Recorded as an `erased` event by the editor named."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        whose = parser.add_mutually_exclusive_group(required=True)
        whose.add_argument("--email")
        whose.add_argument("--reader", type=int, help="A reader's id (signed in by the site).")
        parser.add_argument(
            "--editor", required=True, help="User name of the editor who handles the request."
        )
        parser.add_argument(
            "--yes", action="store_true", help="Do not ask for confirmation (for scripts)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        User = get_user_model()
        editor = User.objects.filter(username=options["editor"]).first()
        if editor is None:
            raise CommandError(f"No user named {options['editor']!r}.")
        if not (editor.is_superuser or editor.groups.filter(name=EDITORS).exists()):
            raise CommandError(f"{options['editor']!r} is not an editor.")
        if not options["yes"]:
            who = options["email"] or f"reader {options['reader']}"
            answer = input(f"Erase all personal data of {who}? Type 'yes': ")
            if answer.strip().lower() != "yes":
                raise CommandError("Nothing erased.")
        try:
            result = commenter_data_erase(
                email=options["email"], reader_id=options["reader"], actor=editor
            )
        except ValueError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Erased {result.comments} comments and "
                f"{result.correction_requests} correction requests, {result.reports} reports."
            )
        )
