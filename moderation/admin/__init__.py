"""The editors' desk in the Django admin: the queue, a comment's page, model health."""

from django.contrib import admin

from moderation.admin.appeals import AppealAdmin, MailNotificationAdmin
from moderation.admin.audit import CommentReportAdmin, ModerationEventAdmin
from moderation.admin.campaigns import CommentClusterAdmin
from moderation.admin.comments import CommentAdmin
from moderation.admin.models_page import ClassifierModelAdmin
from moderation.admin.notices import IllegalContentNoticeAdmin
from moderation.admin.sanctions import CommenterSanctionAdmin
from moderation.admin.word_lists import WordListTermAdmin

# The index carries the desk's dashboard (queue sizes, waiting time, decisions, reversals).
admin.site.index_template = "admin/desk/index.html"
admin.site.site_header = "Newsroom desk"
admin.site.site_title = "Newsroom desk"
admin.site.index_title = "Desk"

__all__ = [
    "AppealAdmin",
    "ClassifierModelAdmin",
    "CommentAdmin",
    "CommentClusterAdmin",
    "CommentReportAdmin",
    "CommenterSanctionAdmin",
    "IllegalContentNoticeAdmin",
    "MailNotificationAdmin",
    "ModerationEventAdmin",
    "WordListTermAdmin",
]
