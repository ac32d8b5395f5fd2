"""The thank-you email for a correction, sent by a real Celery worker after the commit."""

import pytest
from django.core import mail

from articles.models import CorrectionThanks
from articles.services import correction_request_submit, correction_requests_resolve
from tests.mail_readers import opt_in
from tests.pipeline.waiting import wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_published_correction_thanks_each_reader_from_the_worker(celery_worker, article, editor):
    first = correction_request_submit(
        article=article, **opt_in({"suggestion": "Nine.", "email": "ann@example.org"})
    )
    second = correction_request_submit(
        article=article, **opt_in({"suggestion": "9!", "email": "bo@example.org"})
    )
    correction_requests_resolve(
        request_id=first.pk, actor=editor, correction_text="Nine months.", also=[second.pk]
    )
    # The outbox first: polling the shared in-memory SQLite while the worker writes would
    # lock its tables under it (and a send whose record failed is retried).
    wait_until(lambda: len(mail.outbox) >= 2, message="the worker never sent the emails")
    wait_until(
        lambda: CorrectionThanks.objects.filter(status="sent").count() == 2,
        message="the worker never sent the thank-you emails",
    )
    assert sorted(m.to for m in mail.outbox) == [["ann@example.org"], ["bo@example.org"]]
    assert all("Nine months." in m.body for m in mail.outbox)
