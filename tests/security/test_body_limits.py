"""Oversized bodies are refused with 413 from the headers alone, before the body is read."""

import socket
import time

import pytest
from django.conf import settings

TEN_MB = 10 * 1024 * 1024


@pytest.mark.django_db
def test_it_refuses_a_declared_body_over_the_limit_with_413(client, article):
    too_big = settings.REQUEST_BODY_MAX_BYTES + 1
    response = client.post(
        f"/articles/{article.slug}/comments/",
        data=b"body=x",
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(too_big),
    )
    assert response.status_code == 413


@pytest.mark.django_db
def test_it_answers_413_in_json_on_the_api(client, article):
    response = client.post(
        f"/api/v1/articles/{article.slug}/comments/",
        data=b"{}",
        content_type="application/json",
        CONTENT_LENGTH=str(TEN_MB),
    )
    assert response.status_code == 413
    assert "limited" in response.json()["detail"]


def test_it_refuses_a_malformed_content_length_with_400(client):
    response = client.post("/", data=b"", content_type="text/plain", CONTENT_LENGTH="lots")
    assert response.status_code == 400


def test_parsing_is_capped_at_the_same_limit():
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == settings.REQUEST_BODY_MAX_BYTES


@pytest.mark.django_db(transaction=True)
def test_a_10_mb_upload_is_refused_before_it_is_sent(live_server, article):
    host, port = live_server.url.removeprefix("http://").split(":")
    started = time.perf_counter()
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(
            (
                f"POST /articles/{article.slug}/comments/ HTTP/1.1\r\n"
                f"Host: {host}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                f"Content-Length: {TEN_MB}\r\n\r\n"
            ).encode()
            + b"body="
            + b"x" * 65536
        )
        # Only 64 KB of the 10 MB went out; the answer comes without waiting for the rest.
        reply = sock.recv(4096).decode(errors="replace")
    assert reply.startswith("HTTP/1.1 413"), reply[:200]
    assert time.perf_counter() - started < 5
