"""Every word embed.js shows, translated on the server into the article's language.

The script holds no text of its own: it asks for these with the article (`{name}`-style
placeholders are filled in by the script), so one translation catalogue covers the
reader pages and the embed alike.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import override, pgettext_lazy

from moderation.models import CommentReport

EMBED_STRINGS = {
    "heading": _("Comments ({count})"),
    "no_comments": _("No comments yet."),
    "show_more": _("Show more comments"),
    "spoiler_summary": _("This comment contains spoilers. Click here if you want to read."),
    "reply": _("Reply"),
    "reply_to": _("Reply to {name}"),
    "replying_to": _("Replying to {name}."),
    "cancel_reply": _("Cancel reply"),
    "report": _("Report"),
    "report_comment_by": _("Report comment by {name}"),
    "reported": _("Reported"),
    "verified": _("Signed in with {site}"),
    "awaiting": _("Awaiting moderation"),
    "deleted": _("This comment was deleted by its author."),
    "edited": pgettext_lazy("comment", "edited"),
    "editors_pick": _("Editors’ pick"),
    "awaiting_note": _("Only you can see this comment until a moderator has published it."),
    "posted_notice": _("Thank you. Your comment is awaiting moderation."),
    "form_heading": _("Join the discussion"),
    "name_label": _("Name"),
    "email_label": _("Email (optional, never shown)"),
    "body_label": _("Your comment"),
    "char_count": _("{used} of {max} characters"),
    "spoiler_label": _("My comment contains spoilers"),
    "submit": _("Post comment"),
    "signed_in_as": _("Commenting as {name}"),
    "sign_in_required": _("Sign in on this site to comment."),
    "closed": _("Comments are closed on this article."),
    "report_heading": _("Report a comment"),
    "report_reason": _("Why should a moderator look at it?"),
    "report_text_label": _("Anything to add (optional)"),
    "report_submit": _("Send report"),
    "report_done": _("Thank you. A moderator will look at this comment."),
    "correction_link": _("To suggest a correction or clarification, write to us here"),
    "correction_hint": _("or select words in the article and press {shortcut}."),
    "correction_heading": _("Suggest a correction"),
    "correction_quoted": _("You selected:"),
    "suggestion_label": _("What is wrong, and what should it say?"),
    "correction_email_label": _("Email (optional, to hear when it is corrected)"),
    "correction_submit": _("Send suggestion"),
    "correction_done": _("Thank you. The editors will look at your suggestion."),
    "select_first": _(
        "Select the words in the article that need correcting, then press {shortcut}."
    ),
    "outside": _(
        "That selection is not part of the article text. Select words in the article itself, "
        "then press {shortcut}."
    ),
    "shortcut": _("Ctrl + Enter"),
    "shortcut_mac": _("Cmd + Enter"),
    "close": _("Close"),
    "cancel": _("Cancel"),
    "error_rate": _("Please wait a minute and try again."),
    "error_server": _("Something went wrong on our side. Please try again in a moment."),
    "error_network": _("We could not reach the comments. Check your connection and try again."),
}


def embed_strings(language: str) -> dict[str, str]:
    with override(language):
        return {key: str(text) for key, text in EMBED_STRINGS.items()}


def report_reasons(language: str) -> list[dict[str, str]]:
    with override(language):
        return [{"value": v, "label": str(label)} for v, label in CommentReport.Reason.choices]
