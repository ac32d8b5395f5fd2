"""Webhooks end to end: a decision's signal, a real Celery worker, a real receiver."""

import json

import pytest

from articles.models import WebhookDelivery, WebhookEndpoint
from articles.services import correction_request_submit
from articles.webhooks.signing import verify_signature
from moderation.services import comment_approve, comment_reject
from tests.pipeline.waiting import wait_until
from tests.webhooks.receiver import receiver  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db(transaction=True)


def test_decisions_reach_the_sites_endpoint_signed(
    celery_worker,
    receiver,  # noqa: F811
    article,
    make_comment,
    moderator,
) -> None:
    endpoint = WebhookEndpoint.objects.create(site=article.site, url=receiver.url)
    kept = make_comment("The repairs were overdue.")
    dropped = make_comment("Buy cheap watches at example.biz")
    comment_approve(comment_id=kept.pk, actor=moderator)
    comment_reject(comment_id=dropped.pk, actor=moderator, reason_code="off_topic")
    correction_request_submit(article=article, suggestion="It took nine months.")
    wait_until(
        lambda: WebhookDelivery.objects.filter(status="delivered").count() == 3,
        message="the worker never delivered the three events",
    )
    events = {}
    for sent in receiver.received:
        verify_signature(endpoint.secret, sent.headers["Newsroom-Signature"], sent.body)
        events[sent.headers["Newsroom-Event"]] = json.loads(sent.body)["data"]
    assert events["comment.published"]["comment"]["id"] == kept.pk
    assert events["comment.rejected"]["comment"]["id"] == dropped.pk
    assert events["comment.rejected"]["decision"]["reason_code"] == "off_topic"
    assert events["comment.rejected"]["decision"]["by"] == "person"
    assert events["correction_request.created"]["correction_request"]["suggestion"] == (
        "It took nine months."
    )
