"""A web process publishes the scoring tasks by name and never loads the scoring stack:
scikit-learn and SciPy stay in the workers (about 100 MB a process)."""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Runs in a fresh interpreter: the test process itself has long imported scikit-learn.
_SERVE = textwrap.dedent(
    """
    import io, json, sys

    from newsroom.wsgi import application  # the web process's boot, as gunicorn's

    from django.contrib.auth.models import User
    from django.core.management import call_command
    from rest_framework.authtoken.models import Token

    from articles.models import Article, Section
    from moderation.roles import MODERATORS, ensure_role

    call_command("migrate", "--noinput", verbosity=0)
    Article.objects.create(slug="bridge", title="Bridge", body="Text.",
                           section=Section.objects.named("Kyiv"), author="Desk")
    alice = User.objects.create_user("alice")
    alice.groups.add(ensure_role(MODERATORS))
    token = Token.objects.create(user=alice)


    def call(method, path, body=b"", **headers):
        environ = {
            "REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80", "HTTP_HOST": "127.0.0.1",
            "REMOTE_ADDR": "127.0.0.1", "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": str(len(body)),
            "CONTENT_TYPE": "application/json", **headers,
        }
        status = []
        chunks = application(environ, lambda s, h, exc_info=None: status.append(s))
        b"".join(chunks)
        return int(status[0].split()[0])


    statuses = [
        call("POST", "/api/v1/articles/bridge/comments/",
             json.dumps({"author_name": "Reader", "body": "The trains run again."}).encode()),
        call("GET", "/api/v1/articles/bridge/comments/"),
        call("GET", "/api/v1/moderation/queue/", HTTP_AUTHORIZATION=f"Token {token.key}"),
    ]
    heavy = sorted(name for name in ("sklearn", "scipy", "skops") if name in sys.modules)
    print(json.dumps({"statuses": statuses, "heavy": heavy}))
    """
)


def test_a_web_process_serves_comments_and_the_queue_without_scikit_learn(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'web.sqlite3'}",
        "CELERY_BROKER_URL": "memory://",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("CACHE_URL", None)
    done = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", _SERVE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    outcome = json.loads(done.stdout.strip().splitlines()[-1])
    assert outcome["statuses"] == [201, 200, 200]
    assert outcome["heavy"] == []
