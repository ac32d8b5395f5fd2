"""Bytes that are not UTF-8 are refused with a field error, never saved as U+FFFD.

The requests go through the CSRF check as a browser's would: that check reads the form
before the view does, which is where a multipart body's bytes used to be lost.
"""

from django.test import Client

from articles.models import CorrectionRequest
from moderation.models import Comment, CommentReport

NOT_UTF8 = "This text could not be read (it is not UTF-8). Please type it again."
BOUNDARY = "----reader-form-boundary"


def _browser(article) -> tuple[Client, str]:
    client = Client(enforce_csrf_checks=True)
    client.get(f"/articles/{article.slug}/")
    return client, client.cookies["csrftoken"].value


def _multipart(fields: dict[str, bytes]) -> bytes:
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
        + value
        + b"\r\n"
        for name, value in fields.items()
    ]
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


def test_the_comment_form_refuses_a_body_that_is_not_utf8_as_the_api_does(article):
    client, token = _browser(article)
    response = client.post(
        f"/articles/{article.slug}/comments/",
        f"csrfmiddlewaretoken={token}&author_name=Ann&body=Fine%20%FFwork".encode(),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert response.context["comment_form"].errors == {"body": [NOT_UTF8]}
    assert f'<p class="field__error" id="id_body-error">{NOT_UTF8}</p>' in response.text

    api = Client().post(
        f"/api/v1/articles/{article.slug}/comments/",
        b'{"author_name": "Ann", "body": "Fine \xffwork"}',
        content_type="application/json",
    )
    assert api.status_code == 400
    assert Comment.objects.count() == 0


def test_the_correction_dialog_refuses_a_field_that_is_not_utf8(article):
    client, token = _browser(article)
    url = f"/articles/{article.slug}/suggest-correction/"
    fields = {"csrfmiddlewaretoken": token.encode(), "email": b""}
    response = client.post(
        url,
        _multipart({**fields, "suggestion": "Вісім місяців, \xff".encode() + b"\xff"}),
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"errors": {"suggestion": [NOT_UTF8]}}
    assert CorrectionRequest.objects.count() == 0

    sent = client.post(
        url,
        _multipart({**fields, "suggestion": "Вісім місяців, не шість.".encode()}),
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
        HTTP_ACCEPT="application/json",
    )
    assert sent.status_code == 201
    assert CorrectionRequest.objects.get().suggestion == "Вісім місяців, не шість."


def test_the_report_dialog_refuses_a_field_that_is_not_utf8(article, make_comment):
    comment = make_comment(status="approved")
    client, token = _browser(article)
    response = client.post(
        f"/comments/{comment.pk}/report/",
        _multipart(
            {"csrfmiddlewaretoken": token.encode(), "reason": b"other", "text": b"rude \xc3("}
        ),
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"errors": {"text": [NOT_UTF8]}}
    assert CommentReport.objects.count() == 0
