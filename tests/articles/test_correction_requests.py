import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from articles.models import CorrectionRequest
from articles.services import (
    CorrectionRequestConflict,
    correction_request_mark_duplicate,
    correction_request_reject,
    correction_request_resolve,
    correction_request_start,
    correction_request_submit,
)


def _submit(article, **fields):
    values = {
        "suggestion": "It took nine months.",
        "quote": "eight months",
        "prefix": "Repairs took ",
        "suffix": ".",
        "paragraph_index": 1,
        "offset": 13,
        **fields,
    }
    return correction_request_submit(article=article, **values)


def test_it_stores_the_quote_with_its_context_as_the_reader_saw_it(article):
    request = _submit(article, email="Reader@Example.org")
    assert request.status == "new"
    assert request.paragraph_text == "Repairs took eight months."
    assert request.article_updated_at == article.updated_at
    assert request.email == "reader@example.org"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"suggestion": ""}, "suggestion"),
        ({"suggestion": "s" * 2001}, "suggestion"),
        ({"paragraph_index": 7}, "paragraph_index"),
        ({"email": "nope"}, "email"),
        ({"quote": "q" * 1001}, "quote"),
    ],
)
def test_it_refuses_bad_requests_and_writes_nothing(article, fields, field):
    with pytest.raises(ValidationError) as excinfo:
        _submit(article, **fields)
    assert field in excinfo.value.message_dict
    assert CorrectionRequest.objects.count() == 0


def test_resolving_publishes_a_correction_and_thanks_the_reader(
    article, editor, django_capture_on_commit_callbacks
):
    request = _submit(article, email="reader@example.org")
    correction_request_start(request_id=request.pk, actor=editor)
    with django_capture_on_commit_callbacks(execute=True):
        request = correction_request_resolve(
            request_id=request.pk,
            actor=editor,
            correction_text="An earlier version said repairs took eight months; they took nine.",
        )
    assert request.status == "resolved" and request.handled_by == editor
    assert article.corrections.get().text.startswith("An earlier version")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["reader@example.org"]


def test_a_resolved_request_cannot_be_rejected(article, editor):
    request = _submit(article)
    correction_request_resolve(request_id=request.pk, actor=editor, correction_text="Fixed.")
    with pytest.raises(CorrectionRequestConflict):
        correction_request_reject(request_id=request.pk, actor=editor, note="Late")


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
