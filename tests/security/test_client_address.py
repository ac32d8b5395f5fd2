"""Behind a proxy: one answer to "who sent this?" for the rate limits, the stored IPs and the
logs, taken from X-Forwarded-For only as far as TRUSTED_PROXY_COUNT proxies vouch for it."""

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory
from rest_framework.test import APIClient

from articles.models import CorrectionRequest
from moderation.models import Comment, CommentReport
from newsroom.lib.client_address import client_address

PROXY = "10.0.0.2"
READER_ONE = "203.0.113.10"
READER_TWO = "203.0.113.20"


@pytest.fixture
def behind_one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1


def _request(remote_addr: str, forwarded_for: str | None = None):  # type: ignore[no-untyped-def]
    headers = {} if forwarded_for is None else {"HTTP_X_FORWARDED_FOR": forwarded_for}
    return RequestFactory().get("/", REMOTE_ADDR=remote_addr, **headers)


@pytest.mark.parametrize(
    ("trusted", "remote_addr", "forwarded_for", "expected"),
    [
        # No trusted proxy: the header is the client's own say-so.
        (0, "203.0.113.7", "198.51.100.1", "203.0.113.7"),
        # nginx in front: the address nginx appended, whatever the client put before it.
        (1, PROXY, "203.0.113.7", "203.0.113.7"),
        (1, PROXY, "198.51.100.1, 198.51.100.2, 203.0.113.7", "203.0.113.7"),
        (1, PROXY, " 2001:db8::0:1 ", "2001:db8::1"),
        # A load balancer, then nginx: the second address from the right.
        (2, PROXY, "198.51.100.1, 203.0.113.7, 10.0.0.1", "203.0.113.7"),
        # Too short for the proxies said to be there, missing, or garbage: REMOTE_ADDR.
        (2, PROXY, "203.0.113.7", PROXY),
        (1, PROXY, None, PROXY),
        (1, PROXY, "", PROXY),
        (1, PROXY, "unknown", PROXY),
        (1, PROXY, "198.51.100.1, 203.0.113.7:4431", PROXY),
        (1, PROXY, "203.0.113.7,", PROXY),
        # Not an address at all: none.
        (0, "", None, None),
        (0, "not-an-ip", None, None),
        (1, "not-an-ip", "also not", None),
    ],
)
def test_it_names_the_client_the_trusted_proxies_saw(
    settings, trusted, remote_addr, forwarded_for, expected
):
    settings.TRUSTED_PROXY_COUNT = trusted
    assert client_address(_request(remote_addr, forwarded_for)) == expected


# --- two readers behind one proxy --------------------------------------------------------


def _form_comment(client: Client, article, reader: str, remote_addr: str = PROXY) -> int:
    return client.post(
        f"/articles/{article.slug}/comments/",
        {"author_name": "Oksana", "author_email": "", "body": "Well reported."},
        REMOTE_ADDR=remote_addr,
        HTTP_X_FORWARDED_FOR=reader,
    ).status_code


def _api_comment(client: APIClient, article, reader: str, remote_addr: str = PROXY) -> int:
    return client.post(
        f"/api/v1/articles/{article.slug}/comments/",
        {"author_name": "Oksana", "body": "Well reported."},
        format="json",
        REMOTE_ADDR=remote_addr,
        HTTP_X_FORWARDED_FOR=reader,
    ).status_code


@pytest.fixture
def two_comments_a_minute(settings):
    cache.clear()  # the windows count in the cache, which outlives a test
    settings.COMMENT_RATE_LIMIT = "2/minute"
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "comment_submit": "2/minute",
        },
    }


@pytest.mark.parametrize(
    ("post", "accepted", "client_class"),
    [(_form_comment, 303, Client), (_api_comment, 201, APIClient)],
    ids=["reader form", "API"],
)
@pytest.mark.usefixtures("behind_one_proxy", "two_comments_a_minute")
def test_two_readers_behind_one_proxy_get_separate_windows(article, post, accepted, client_class):
    client = client_class()
    assert [post(client, article, READER_ONE) for _ in range(3)] == [accepted, accepted, 429]
    assert post(client, article, READER_TWO) == accepted
    assert sorted(Comment.objects.values_list("ip_address", flat=True)) == [
        READER_ONE,
        READER_ONE,
        READER_TWO,
    ]


# --- a client forging X-Forwarded-For ---------------------------------------------------


@pytest.mark.usefixtures("two_comments_a_minute")
def test_a_forged_forwarded_for_without_a_trusted_proxy_changes_nothing(article, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    forger = "198.51.100.66"
    form = [_form_comment(Client(), article, f"192.0.2.{n}", remote_addr=forger) for n in range(3)]
    api = [_api_comment(APIClient(), article, f"192.0.2.{n}", remote_addr=forger) for n in range(3)]
    assert (form, api) == ([303, 303, 429], [201, 201, 429])
    assert set(Comment.objects.values_list("ip_address", flat=True)) == {forger}


@pytest.mark.usefixtures("behind_one_proxy", "two_comments_a_minute")
def test_addresses_a_client_puts_before_the_proxys_own_are_ignored(article):
    # The proxy appends the address it saw; whatever the reader wrote comes before it.
    form = [_form_comment(Client(), article, f"192.0.2.{n}, {READER_ONE}") for n in range(3)]
    api = [_api_comment(APIClient(), article, f"192.0.2.{n}, {READER_ONE}") for n in range(3)]
    assert (form, api) == ([303, 303, 429], [201, 201, 429])
    assert set(Comment.objects.values_list("ip_address", flat=True)) == {READER_ONE}


# --- every stored IP and the log line ---------------------------------------------------


@pytest.mark.usefixtures("behind_one_proxy")
def test_reports_and_correction_requests_store_the_readers_address(article, make_comment):
    comment = make_comment(status="approved")
    behind = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": READER_ONE}
    Client().post(f"/comments/{comment.pk}/report/", {"reason": "abuse"}, **behind)
    APIClient().post(
        f"/api/v1/comments/{comment.pk}/reports/", {"reason": "spam"}, format="json", **behind
    )
    Client().post(
        f"/articles/{article.slug}/suggest-correction/", {"suggestion": "Nine months."}, **behind
    )
    APIClient().post(
        f"/api/v1/articles/{article.slug}/correction-requests/",
        {"suggestion": "Nine months."},
        format="json",
        **behind,
    )
    assert list(CommentReport.objects.values_list("ip_address", flat=True)) == [READER_ONE] * 2
    assert list(CorrectionRequest.objects.values_list("ip_address", flat=True)) == [READER_ONE] * 2


@pytest.mark.django_db
@pytest.mark.usefixtures("behind_one_proxy")
def test_the_request_log_line_names_the_readers_address(caplog):
    with caplog.at_level(logging.INFO, logger="newsroom.request"):
        Client().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=READER_TWO)
    [record] = [r for r in caplog.records if r.name == "newsroom.request"]
    assert record.client == READER_TWO


# --- configured once, from the environment ------------------------------------------------


def _settings_with(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"NUM_PROXIES", "TRUSTED_PROXY_COUNT"}}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "from newsroom.settings import base; print(base.TRUSTED_PROXY_COUNT)",
        ],
        env={**clean, **env},
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        check=False,
    )


def test_it_reads_the_proxy_count_from_the_environment():
    assert _settings_with(TRUSTED_PROXY_COUNT="2").stdout.strip() == "2"
    assert _settings_with().stdout.strip() == "0"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"TRUSTED_PROXY_COUNT": "-1"}, "TRUSTED_PROXY_COUNT=-1 is below 0"),
        ({"TRUSTED_PROXY_COUNT": "one"}, "TRUSTED_PROXY_COUNT='one' is not an integer"),
        ({"NUM_PROXIES": "1"}, "NUM_PROXIES is now called TRUSTED_PROXY_COUNT"),
    ],
)
def test_it_refuses_to_start_with_a_proxy_count_it_cannot_use(env, message):
    result = _settings_with(**env)
    assert result.returncode != 0
    assert message in result.stderr
