import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from articles.models import CorrectionRequest, CorrectionThanks
from articles.services import (
    CorrectionRequestConflict,
    correction_request_mark_duplicate,
    correction_request_reject,
    correction_request_resolve,
    correction_request_start,
    correction_request_submit,
    correction_requests_resolve,
)
from tests.mail_readers import opt_in


def _submit(article, **fields):
    values = {
        "suggestion": "It took nine months.",
        "quote": "eight months",
        "paragraph_index": 1,
        "offset": 13,
        **opt_in(fields),
    }
    return correction_request_submit(article=article, **values)


def test_it_stores_the_quote_with_its_context_as_the_reader_saw_it(article):
    request = _submit(article, email="Reader@Example.org")
    assert request.status == "new"
    assert request.paragraph_text == "Repairs took eight months."
    assert request.article_updated_at == article.updated_at
    assert request.email == "reader@example.org"


def test_it_anchors_the_quote_in_the_articles_own_text_whatever_the_client_sent(article):
    # A client that names the wrong paragraph and offset: the server finds the words.
    request = _submit(article, quote="The mayor", paragraph_index=0, offset=7)
    assert (request.paragraph_index, request.offset) == (2, 0)
    assert (request.prefix, request.suffix) == ("", " attended.")
    assert request.paragraph_text == "The mayor attended."


def test_without_a_quote_it_keeps_no_position_within_the_paragraph(article):
    request = _submit(article, quote="", paragraph_index=1, offset=5)
    assert (request.quote, request.prefix, request.suffix, request.offset) == ("", "", "", None)
    assert request.paragraph_index == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"suggestion": ""}, "suggestion"),
        ({"suggestion": "s" * 2001}, "suggestion"),
        ({"paragraph_index": 7}, "paragraph_index"),
        ({"email": "nope"}, "email"),
        ({"quote": "q" * 1001}, "quote"),
        ({"quote": "nine months"}, "quote"),
        ({"quote": "Repairs took eight months. The mayor"}, "quote"),
    ],
)
def test_it_refuses_bad_requests_and_writes_nothing(article, fields, field):
    with pytest.raises(ValidationError) as excinfo:
        _submit(article, **fields)
    assert field in excinfo.value.message_dict
    assert CorrectionRequest.objects.count() == 0


def test_resolving_publishes_a_correction_and_queues_the_readers_thanks(article, editor):
    request = _submit(article, email="reader@example.org")
    correction_request_start(request_id=request.pk, actor=editor)
    request = correction_request_resolve(
        request_id=request.pk,
        actor=editor,
        correction_text="An earlier version said repairs took eight months; they took nine.",
    )
    assert request.status == "resolved" and request.handled_by == editor
    assert article.corrections.get().text.startswith("An earlier version")
    assert request.thanks.status == "queued"


def test_a_resolved_request_cannot_be_rejected(article, editor):
    request = _submit(article)
    correction_request_resolve(request_id=request.pk, actor=editor, correction_text="Fixed.")
    with pytest.raises(CorrectionRequestConflict):
        correction_request_reject(request_id=request.pk, actor=editor, note="Late")


def test_one_correction_resolves_every_request_of_the_group_and_thanks_each_reader_once(
    article, editor
):
    lead = _submit(article, email="ann@example.org")
    same_reader = _submit(article, email="ann@example.org")
    other_reader = _submit(article, email="bo@example.org")
    closed = _submit(article, email="cy@example.org")
    correction_request_reject(request_id=closed.pk, actor=editor, note="Not an error")
    resolution = correction_requests_resolve(
        request_id=lead.pk,
        actor=editor,
        correction_text="Repairs took nine months.",
        also=[same_reader.pk, other_reader.pk, closed.pk, 999_999],
    )
    assert [r.pk for r in resolution.resolved] == [lead.pk, same_reader.pk, other_reader.pk]
    assert resolution.left == [closed.pk, 999_999] and resolution.thanked == 2
    assert article.corrections.count() == 1
    assert set(
        CorrectionRequest.objects.filter(correction=resolution.correction).values_list(
            "pk", flat=True
        )
    ) == {lead.pk, same_reader.pk, other_reader.pk}
    assert CorrectionRequest.objects.get(pk=closed.pk).status == "rejected"
    assert sorted(
        CorrectionThanks.objects.values_list("request__pk", "request__email", "status")
    ) == [(lead.pk, "ann@example.org", "queued"), (other_reader.pk, "bo@example.org", "queued")]


def test_a_group_is_not_resolved_when_its_first_request_is_closed(article, editor):
    lead, other = _submit(article), _submit(article)
    correction_request_reject(request_id=lead.pk, actor=editor)
    with pytest.raises(CorrectionRequestConflict):
        correction_requests_resolve(
            request_id=lead.pk, actor=editor, correction_text="Fixed.", also=[other.pk]
        )
    assert not article.corrections.exists()
    assert CorrectionRequest.objects.get(pk=other.pk).status == "new"


def _snapshot():
    return list(
        CorrectionRequest.objects.order_by("pk").values_list(
            "pk", "status", "duplicate_of", "handled_by", "handled_at"
        )
    )


@pytest.mark.parametrize("closed", ["resolved", "rejected", "duplicate"])
def test_it_refuses_a_closed_duplicate_target_and_writes_nothing(article, editor, closed):
    target, request = _submit(article), _submit(article)
    CorrectionRequest.objects.filter(pk=target.pk).update(status=closed)
    before = _snapshot()
    with pytest.raises(ValidationError) as excinfo:
        correction_request_mark_duplicate(
            request_id=request.pk, actor=editor, duplicate_of_id=target.pk
        )
    assert f"Request #{target.pk} is {closed}" in excinfo.value.message_dict["duplicate_of"][0]
    assert _snapshot() == before


def test_it_refuses_a_duplicate_target_that_leads_back_and_writes_nothing(article, editor):
    first, second, third = _submit(article), _submit(article), _submit(article)
    # A chain written before the desk's checks existed: third -> second -> first.
    CorrectionRequest.objects.filter(pk=third.pk).update(duplicate_of=second)
    CorrectionRequest.objects.filter(pk=second.pk).update(duplicate_of=first)
    before = _snapshot()
    with pytest.raises(ValidationError) as excinfo:
        correction_request_mark_duplicate(
            request_id=first.pk, actor=editor, duplicate_of_id=third.pk
        )
    assert "leads back" in excinfo.value.message_dict["duplicate_of"][0]
    assert _snapshot() == before


def test_it_refuses_to_mark_a_request_a_duplicate_of_itself(article, editor):
    request = _submit(article)
    before = _snapshot()
    with pytest.raises(ValidationError) as excinfo:
        correction_request_mark_duplicate(
            request_id=request.pk, actor=editor, duplicate_of_id=request.pk
        )
    assert "duplicate_of" in excinfo.value.message_dict
    assert _snapshot() == before


def test_a_closed_request_cannot_be_marked_a_duplicate(article, editor):
    original, request = _submit(article), _submit(article)
    correction_request_reject(request_id=request.pk, actor=editor)
    with pytest.raises(CorrectionRequestConflict):
        correction_request_mark_duplicate(
            request_id=request.pk, actor=editor, duplicate_of_id=original.pk
        )
    assert CorrectionRequest.objects.get(pk=request.pk).duplicate_of is None


def test_it_marks_a_duplicate_of_the_same_article_only(article, editor):
    first, second = _submit(article), _submit(article)
    request = correction_request_mark_duplicate(
        request_id=second.pk, actor=editor, duplicate_of_id=first.pk
    )
    assert request.status == "duplicate" and request.duplicate_of == first
    with pytest.raises(ValidationError):
        correction_request_mark_duplicate(
            request_id=first.pk, actor=editor, duplicate_of_id=first.pk
        )


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL (.ci/run)")
def test_two_editors_marking_two_requests_duplicates_of_each_other_at_once_make_no_cycle(
    article, editor
):
    first, second = _submit(article), _submit(article)
    outcome: list[str] = []

    def mark_first_a_duplicate_of_second() -> None:
        try:
            correction_request_mark_duplicate(
                request_id=first.pk, actor=editor, duplicate_of_id=second.pk
            )
            outcome.append("marked")
        except ValidationError:
            outcome.append("refused")
        finally:
            connection.close()

    other_editor = threading.Thread(target=mark_first_a_duplicate_of_second)
    with transaction.atomic():
        # This editor marks second a duplicate of first; before it commits, the other
        # editor marks first a duplicate of second.
        correction_request_mark_duplicate(
            request_id=second.pk, actor=editor, duplicate_of_id=first.pk
        )
        other_editor.start()
        other_editor.join(timeout=1)  # it waits for the lock, or (unlocked) finishes
    other_editor.join(timeout=30)
    assert outcome == ["refused"]
    assert dict(CorrectionRequest.objects.values_list("pk", "status")) == {
        first.pk: "new",
        second.pk: "duplicate",
    }
