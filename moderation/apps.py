from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = "Moderation"

    def ready(self) -> None:
        # Mail to readers listens to the services' announcements.
        from moderation import mail_receivers  # noqa: F401
