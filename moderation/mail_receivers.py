"""Mail to readers follows what the services announce (moderation.signals): each
receiver only queues a task on the default queue, which reads the rows and writes the
mails (moderation.notifications). Connected in ModerationConfig.ready()."""

from typing import Any

from django.dispatch import receiver

from moderation.queueing import publish_quietly
from moderation.signals import comment_published, comment_rejected

MAIL_ON_PUBLISHED = "moderation.tasks.mail_on_published"
MAIL_ON_REJECTED = "moderation.tasks.mail_on_rejected"


@receiver(comment_published, dispatch_uid="mail-on-published")
def queue_mail_on_published(sender: Any, comment_ids: list[int], **kwargs: Any) -> None:
    publish_quietly(MAIL_ON_PUBLISHED, list(comment_ids))


@receiver(comment_rejected, dispatch_uid="mail-on-rejected")
def queue_mail_on_rejected(sender: Any, comment_ids: list[int], **kwargs: Any) -> None:
    publish_quietly(MAIL_ON_REJECTED, list(comment_ids))
