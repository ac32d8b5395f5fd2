from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = "Moderation"

    def ready(self) -> None:
        # Mail to readers listens to the services' announcements.
        from moderation import mail_receivers  # noqa: F401

        # The API's cached callers forget a moderator whose roles or scope change.
        from newsroom.api import callers

        callers.connect()
