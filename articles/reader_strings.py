"""The words the page's script shows, translated on the server and handed to it in the
page as JSON: the script itself holds no reader-facing text."""

from django.utils.translation import gettext as _


def reader_strings() -> dict[str, str]:
    return {
        # "%(used)s" and "%(max)s" are filled in by the script.
        "charCount": _("%(used)s of %(max)s characters"),
        "thanks": _("Thank you."),
        "tryLater": _("Please wait a minute and try again."),
        "serverError": _("Something went wrong on our side. Please try again in a moment."),
        "offline": _("We could not reach the newspaper. Check your connection and try again."),
        "selectWords": _(
            "Select the words in the article that need correcting, then press %(shortcut)s."
        ),
        "outsideArticle": _(
            "That selection is not part of the article text. Select words in the article "
            "itself, then press %(shortcut)s."
        ),
        "reported": _("Reported"),
        "showMore": _("Show more comments"),
        "recommend": _("Recommend"),
        "recommended": _("Recommended"),
    }
