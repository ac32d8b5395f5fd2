"""With the database unreachable, every page and API answers 503 with Retry-After, never 500.

The requests run in a subprocess whose DATABASE_URL points at a PostgreSQL port nothing
listens on, so each one meets the real connection error a stopped server gives.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.db import OperationalError
from django.test import RequestFactory

from newsroom.errors import server_error

ROOT = Path(__file__).resolve().parents[2]

_SCRIPT = """
import json, django
django.setup()
from django.test import Client
client = Client(raise_request_exception=False)
out = {}
for method, path in [
    ("get", "/"),
    ("get", "/articles/metro-bridge-reopens/"),
    ("get", "/corrections/"),
    ("get", "/admin/"),
    ("post", "/admin/login/"),
    ("get", "/api/v1/articles/metro-bridge-reopens/comments/"),
    ("post", "/api/v1/articles/metro-bridge-reopens/comments/"),
    ("get", "/healthz"),
    ("get", "/readyz"),
]:
    data = {"username": "a", "password": "b"} if method == "post" else None
    r = getattr(client, method)(path, data)
    out[f"{method} {path}"] = {
        "status": r.status_code,
        "retry_after": r.get("Retry-After"),
        "type": r.get("Content-Type", ""),
    }
print(json.dumps(out))
"""


def _statuses_with_database_down() -> dict[str, dict[str, str | int | None]]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings.test",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:1/newsroom_prod_down",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        "ALLOWED_HOSTS": "testserver",
    }
    result = subprocess.run(  # noqa: S603 (our own interpreter and script)
        [sys.executable, "-c", _SCRIPT],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_it_answers_503_not_500_on_every_page_while_the_database_is_away():
    statuses = _statuses_with_database_down()

    assert not [k for k, v in statuses.items() if v["status"] == 500], statuses
    for page in ("get /", "get /articles/metro-bridge-reopens/", "get /corrections/"):
        assert statuses[page]["status"] == 503, (page, statuses[page])
        assert statuses[page]["retry_after"] == "5"
        assert statuses[page]["type"].startswith("text/html")
    assert statuses["post /admin/login/"]["status"] == 503
    assert statuses["get /healthz"]["status"] == 200
    assert statuses["get /readyz"]["status"] == 503
    for key, value in statuses.items():
        if key.split(" ", 1)[1].startswith("/api/") and value["status"] == 503:
            assert value["type"] == "application/json"


def test_the_500_handler_turns_a_lost_database_into_503():
    # An exception outside any view (a middleware reading the session) reaches handler500.
    request = RequestFactory().get("/api/v1/articles/x/comments/")
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert json.loads(response.content)["detail"]


def test_the_500_handler_leaves_other_errors_as_500():
    request = RequestFactory().get("/")
    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(request)
    assert response.status_code == 500
