import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from moderation.roles import EDITORS, ensure_role


class Command(BaseCommand):
    help = (
        "Create the development editor account once and print its credentials. It is a "
        "member of Editors, never a superuser (`make superuser` creates one on request)."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--username", default="editor")

    def handle(self, *args: object, username: str = "editor", **options: object) -> None:
        password_file = settings.VAR_DIR / f"{username}.password"
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user is None or not password_file.exists():
            password = secrets.token_urlsafe(12)
            user = user or User(username=username, email=f"{username}@newsroom.example")
            user.set_password(password)
            password_file.parent.mkdir(parents=True, exist_ok=True)
            password_file.write_text(password + "\n")
            password_file.chmod(0o600)
        # An account made by an earlier version was a superuser: it becomes an editor too.
        user.is_staff = True
        user.is_superuser = False
        user.save()
        user.groups.add(ensure_role(EDITORS))
        password = password_file.read_text().strip()
        self.stdout.write(
            self.style.SUCCESS(f"Editor account: user name “{username}”, password “{password}”")
        )
