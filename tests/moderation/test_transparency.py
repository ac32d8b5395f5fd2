"""The monthly transparency figures and their CSV export."""

import csv
import io
from datetime import datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from moderation.appeals import appeal_decide, appeal_submit
from moderation.models import IllegalContentNotice
from moderation.notices import notice_handle, notice_submit
from moderation.services import comment_apply_scores, comment_reject
from moderation.transparency import CSV_COLUMNS
from tests.conftest import _user

pytestmark = pytest.mark.django_db

NOTICE = {"law": "Defamation Act", "explanation": "It says a named person took bribes."}


@pytest.fixture
def month_of_work(make_comment, moderator):
    """In one month: three decisions against comments (one automatic), two notices
    (one handled after 3 hours), two appeals (one reversed, one waiting)."""
    from moderation.roles import MODERATORS

    other = _user("dana", MODERATORS)
    comments = [make_comment(f"Comment {n}.", status="approved") for n in range(3)]
    comment_reject(comment_id=comments[0].pk, actor=moderator, reason_code="abuse")
    comment_reject(comment_id=comments[1].pk, actor=moderator, reason_code="legal")
    spam = make_comment("Buy now.")
    comment_apply_scores(
        comment_id=spam.pk, spam_score=0.99, spoiler_score=0.0,
        model_versions={"spam": "v1"}, explanation={},
    )  # fmt: skip
    handled = notice_submit(comment=comments[2], **NOTICE)
    notice_submit(comment=comments[2], **NOTICE)
    notice_handle(notice_id=handled.pk, actor=moderator, remove=False)
    IllegalContentNotice.objects.filter(pk=handled.pk).update(
        handled_at=handled.created_at + timedelta(hours=3)
    )
    first = appeal_submit(event_id=comments[0].events.latest("id").pk, text="Unfair.")
    appeal_submit(event_id=comments[1].events.latest("id").pk, text="True story.")
    appeal_decide(appeal_id=first.pk, actor=other, outcome="reversed")


def test_the_figures_of_a_month_are_counted_and_exported(month_of_work, editor):
    desk = Client()
    desk.force_login(editor)
    page = desk.get("/admin/moderation/illegalcontentnotice/transparency/")
    assert page.status_code == 200
    exported = desk.get("/admin/moderation/illegalcontentnotice/transparency/?format=csv")
    assert exported["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(exported.content.decode())))
    assert rows[0] == CSV_COLUMNS
    month = timezone.localtime().strftime("%Y-%m")
    assert rows[1] == [month, "2", "1", "3.0", "2", "1", "1", "1.0", "3", "1", "0.333"]


def test_a_stranger_cannot_read_the_figures(db, stranger):
    desk = Client()
    desk.force_login(stranger)
    response = desk.get("/admin/moderation/illegalcontentnotice/transparency/")
    assert response.status_code in (302, 403)


def test_months_are_apart(make_comment, moderator):
    old = make_comment("Old.", status="approved")
    notice = notice_submit(comment=old, **NOTICE)
    a_year_ago = timezone.make_aware(datetime(2025, 3, 15, 12))
    IllegalContentNotice.objects.filter(pk=notice.pk).update(created_at=a_year_ago)
    notice_submit(comment=old, **NOTICE)
    from moderation.transparency import monthly_figures

    figures = monthly_figures()
    assert [(f.month.strftime("%Y-%m"), f.notices) for f in figures] == [
        (timezone.localtime().strftime("%Y-%m"), 1),
        ("2025-03", 1),
    ]
