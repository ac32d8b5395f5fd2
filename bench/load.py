"""Load benchmark: our stack side by side with two open-source comment servers.

    python bench/load.py [--json] [--duration 10] [--connections 8] [--rounds 3]

Systems, all on this machine, all under gunicorn with 2 workers, all only on 127.0.0.1:
  us                       the full stack (scripts/stack.py): gunicorn on production settings,
                           PostgreSQL, Redis (broker and throttle cache), one Celery worker
  isso                     Isso from PyPI (its only store is SQLite)
  django_contrib_comments  django-contrib-comments from PyPI in a minimal Django project on
                           the same PostgreSQL
The peers are installed from PyPI into temporary virtual environments under /tmp at run time;
none of their code is kept here.

Each database first holds 100,000 comments (--preload), 1,000 of them on the article whose
first 50 comments the GET phase asks for; POSTs go to another article. Per round, each
system runs a POST phase then a GET phase (--duration seconds each, --connections client
threads); the order of systems rotates every round, and the figures are medians over
--rounds rounds. Afterwards every accepted comment is looked up in its database ("lost"),
and ours are waited on (--drain seconds at most) until the worker has scored them
("unscored").

Throttles would make a load test measure the throttle: the run sets THROTTLE_COMMENT_SUBMIT,
THROTTLE_PUBLIC_WRITE and THROTTLE_PUBLIC_READ to 1,000,000/minute for us (they are still
counted in Redis on every request), and disables Isso's guard.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import itertools
import json
import os
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import textwrap
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._comment_table import with_required  # noqa: E402
from scripts.stack import (  # noqa: E402
    COMMENT_URL,
    Stack,
    free_port,
    production_env,
    web_command,
    web_server,
)

# The endpoint "us" is measured on: the public API's comment form (one constant, shared
# with the fault tests), and the same URL's GET, whose first page is 50 comments, oldest first.
US_POST_PATH = COMMENT_URL
US_LIST_PATH = COMMENT_URL

PG = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379")
# Two Redis databases (broker, cache) the run may flush, the databases' name prefix, and
# the first of the TCP ports the servers listen on (one each): a shared machine's own.
REDIS_DBS = [int(n) for n in os.environ.get("BENCH_REDIS_DBS", "12,13").split(",")]
DB_PREFIX = os.environ.get("BENCH_DB_PREFIX", "newsroom_prod_bench")
PORT_BASE = int(os.environ.get("BENCH_PORT_BASE", "0"))
_PORTS = itertools.count(PORT_BASE)


def next_port() -> int:
    """The next port of BENCH_PORT_BASE's range, or any free one without it."""
    return next(_PORTS) if PORT_BASE else free_port()


# Throwaway virtual environments for the peers; nothing of theirs enters the repository.
PEERS_DIR = Path(os.environ.get("BENCH_PEERS_DIR", "/tmp/newsroom-bench-peers"))  # noqa: S108
GET_SLUG, POST_SLUG = "bench-get-target", "bench-post-target"
OTHER_ARTICLES = 98


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def run(*command: str | Path, env: dict[str, str] | None = None, timeout: float = 600) -> str:
    result = subprocess.run(
        [str(c) for c in command],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"{command[:3]} failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
    return result.stdout


def psql(database: str, sql: str) -> str:
    return run("psql", f"{PG}/{database}", "-v", "ON_ERROR_STOP=1", "-qAtc", sql)


def recreate_database(name: str) -> None:
    psql("postgres", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    psql("postgres", f"CREATE DATABASE {name}")


# --- the load driver ---------------------------------------------------------------


# Numbers run on across phases and rounds, so no two comments of a run have the same text
# (django-contrib-comments answers a repeated comment with the earlier one, unsaved).
_NUMBERS = itertools.count()


@dataclass
class Request:
    method: str
    path: str
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class PhaseResult:
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]
    accepted: int
    error_samples: list[str]
    p99_override_ms: float | None = None  # wrk reports its percentile, not each latency

    @property
    def rps(self) -> float:
        return (self.requests - self.errors) / self.seconds

    @property
    def p99_ms(self) -> float:
        if self.p99_override_ms is not None:
            return self.p99_override_ms
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def drive(
    *,
    port: int,
    make_request: Callable[[int], Request],
    accept: Callable[[int, dict[str, str], bytes], str | None],
    duration: float,
    connections: int,
) -> PhaseResult:
    """`connections` threads, each one request at a time, for `duration` seconds.

    `accept` returns an id (or "") for a successful answer and None for an error.
    """
    lock = threading.Lock()
    latencies: list[float] = []
    accepted: list[str] = []
    samples: list[str] = []
    totals = {"requests": 0, "errors": 0}
    deadline = time.perf_counter() + duration

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while time.perf_counter() < deadline:
            with lock:
                number = next(_NUMBERS)
            request = make_request(number)
            started = time.perf_counter()
            try:
                conn.request(request.method, request.path, request.body, request.headers)
                response = conn.getresponse()
                payload = response.read()
                headers = {k.lower(): v for k, v in response.getheaders()}
                outcome = accept(response.status, headers, payload)
                failure = None if outcome is not None else f"{response.status} {payload[:200]!r}"
            except (OSError, http.client.HTTPException) as error:
                conn.close()
                outcome, failure = None, f"{type(error).__name__}: {error}"
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                totals["requests"] += 1
                if outcome is None:
                    totals["errors"] += 1
                    if len(samples) < 5:
                        samples.append(failure or "")
                else:
                    latencies.append(elapsed)
                    if outcome:
                        accepted.append(outcome)
        conn.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, daemon=True) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(duration + 30)
    return PhaseResult(
        requests=totals["requests"],
        errors=totals["errors"],
        seconds=time.perf_counter() - started,
        latencies_ms=latencies,
        accepted=len(accepted),
        error_samples=samples,
    )


# --- the systems ------------------------------------------------------------------------


class System:
    name = ""
    port = 0

    def prepare(self, preload: int) -> None: ...
    def start(self) -> None: ...
    def stop(self) -> None: ...
    def post_request(self, number: int) -> Request: ...
    def accept_post(self, status: int, headers: dict[str, str], body: bytes) -> str | None: ...
    def get_request(self, number: int) -> Request: ...

    def accept_get(self, status: int, headers: dict[str, str], body: bytes) -> str | None:
        return "" if status == 200 else None

    def stored(self) -> int:
        """How many measured comments the system's database holds."""
        raise NotImplementedError

    def lost(self, accepted: int) -> int:
        # By marker, not by returned id: a peer may answer two requests with one id.
        return max(0, accepted - self.stored())

    def unscored(self, drain: float) -> int | None:
        return None


# Measured POSTs carry this marker; the warm-up's don't, so "lost" counts only the run's.
MARKER = {"text": "warmup"}


def _text(number: int, who: str) -> str:
    return (
        f"{MARKER['text']} {who} {number}: the bridge repairs took longer than promised, "
        "but the trains are running again and that is what matters."
    )


class Us(System):
    name = "us"
    database = DB_PREFIX

    def __init__(self) -> None:
        self.port = next_port()
        self.stack = Stack(
            database_url=f"{PG}/{self.database}",
            broker_url=f"{REDIS}/{REDIS_DBS[0]}",
            port=self.port,
            processes=("web", "scoring"),
            settings="newsroom.settings.production",
            web_workers=2,
            scoring_concurrency=1,
            env={
                **production_env(cache_url=f"{REDIS}/{REDIS_DBS[1]}"),
                "THROTTLE_COMMENT_SUBMIT": "1000000/minute",
                "THROTTLE_PUBLIC_WRITE": "1000000/minute",
                "THROTTLE_PUBLIC_READ": "1000000/minute",
            },
        )

    def prepare(self, preload: int) -> None:
        recreate_database(self.database)
        for db in REDIS_DBS:
            run("redis-cli", "-u", f"{REDIS}/{db}", "FLUSHDB")
        self.stack.manage("migrate", "--noinput", "-v", "0")
        self.stack.manage("train_default_models")
        self.stack.manage(
            "shell",
            "-c",
            textwrap.dedent(f"""
                from articles.models import Article, Section
                slugs = [{GET_SLUG!r}, {POST_SLUG!r}]
                slugs += [f"bench-other-{{i}}" for i in range({OTHER_ARTICLES})]
                kyiv = Section.objects.named("Kyiv")
                Article.objects.bulk_create(
                    Article(slug=s, title=s, body="Text.", section=kyiv, author="Desk")
                    for s in slugs
                )
            """),
        )
        # 1,000 on the GET target, the rest spread over the other articles; approved and
        # scored, as a site's history would be.
        on_target = min(1000, preload)
        columns, values = with_required(
            {
                "article_id": f"CASE WHEN g <= {on_target} THEN t.id "
                f"ELSE o.id_min + (g % {OTHER_ARTICLES}) END",
                "author_name": "'Reader ' || g",
                "body": "'Preloaded comment number ' || g || ' on the repairs.'",
                "status": "'approved'",
                "spam_score": "0.05",
                "spoiler_score": "0.05",
                "spam_model_version": "'preload'",
                "spoiler_model_version": "'preload'",
                "scored_at": "now()",
                "uncertainty": "0.1",
                "created_at": f"now() - (({preload} - g) || ' seconds')::interval",
            },
            lambda sql: psql(self.database, sql),
        )
        psql(
            self.database,
            f"""
            INSERT INTO moderation_comment ({columns})
            SELECT {values}
            FROM generate_series(1, {preload}) AS g,
                 (SELECT id FROM articles_article WHERE slug = '{GET_SLUG}') AS t,
                 (SELECT min(id) AS id_min FROM articles_article
                  WHERE slug LIKE 'bench-other-%') AS o;
            ANALYZE;
            """,
        )

    def start(self) -> None:
        self.stack.start()

    def stop(self) -> None:
        self.stack.stop()

    def post_request(self, number: int) -> Request:
        body = json.dumps({"author_name": "Bench", "body": _text(number, "us")}).encode()
        return Request(
            "POST",
            US_POST_PATH.format(slug=POST_SLUG),
            body,
            {"Content-Type": "application/json"},
        )

    def accept_post(self, status: int, headers: dict[str, str], body: bytes) -> str | None:
        return str(json.loads(body)["id"]) if status == 201 else None

    def get_request(self, number: int) -> Request:
        return Request("GET", US_LIST_PATH.format(slug=GET_SLUG))

    def accept_get(self, status: int, headers: dict[str, str], body: bytes) -> str | None:
        if status != 200:
            return None
        data = json.loads(body)
        items = data["results"] if isinstance(data, dict) else data
        return "" if len(items) == 50 else None

    def stored(self) -> int:
        return int(
            psql(
                self.database,
                "SELECT count(*) FROM moderation_comment WHERE body LIKE 'bench us %'",
            )
        )

    def unscored(self, drain: float) -> int | None:
        deadline = time.monotonic() + drain
        while True:
            left = int(
                psql(
                    self.database,
                    "SELECT count(*) FROM moderation_comment WHERE body LIKE 'bench us %' "
                    "AND scored_at IS NULL",
                )
            )
            if left == 0 or time.monotonic() > deadline:
                return left
            time.sleep(2)


class GunicornPeer(System):
    venv: Path
    packages: tuple[str, ...] = ()

    def __init__(self) -> None:
        self.port = next_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.dir = PEERS_DIR / self.name
        self.venv = self.dir / "venv"

    def install(self) -> None:
        if not (self.venv / "bin" / "gunicorn").exists():
            log(f"{self.name}: installing {', '.join(self.packages)} from PyPI into {self.venv}")
            run(sys.executable, "-m", "venv", "--clear", self.venv)
            run(self.venv / "bin" / "pip", "install", "-q", *self.packages, "gunicorn")

    def gunicorn_command(self) -> list[str]:
        raise NotImplementedError

    def env(self) -> dict[str, str]:
        return dict(os.environ)

    def start(self) -> None:
        log_file = open(self.dir / "server.log", "ab")  # noqa: SIM115 - kept for the process
        self.process = subprocess.Popen(
            self.gunicorn_command(),
            cwd=self.dir,
            env=self.env(),
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"{self.name} exited: {(self.dir / 'server.log').read_text()[-2000:]}"
                )
            with contextlib.suppress(OSError):
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/")
                conn.getresponse().read()
                return
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not answer within 60 s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.process = None


class Isso(GunicornPeer):
    name = "isso"
    packages = ("isso",)

    @property
    def db_path(self) -> Path:
        return self.dir / "comments.db"

    def prepare(self, preload: int) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        self.install()
        self.db_path.unlink(missing_ok=True)
        (self.dir / "isso.cfg").write_text(
            textwrap.dedent(f"""
                [general]
                dbpath = {self.db_path}
                host = http://127.0.0.1:{self.port}/
                [moderation]
                enabled = false
                [guard]
                enabled = false
                [server]
                listen = http://127.0.0.1:{self.port}/
            """)
        )
        # Let Isso create its schema, then load the history straight into SQLite.
        self.start()
        self.stop()
        with sqlite3.connect(self.db_path) as db:
            uris = [f"/{GET_SLUG}", f"/{POST_SLUG}"] + [
                f"/bench-other-{i}" for i in range(OTHER_ARTICLES)
            ]
            db.executemany("INSERT INTO threads (uri, title) VALUES (?, ?)", [(u, u) for u in uris])
            on_target = min(1000, preload)
            db.execute(
                f"""
                WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < {preload})
                INSERT INTO comments (tid, parent, created, modified, mode, remote_addr, text,
                                      author, email, website, likes, dislikes, voters)
                SELECT CASE WHEN n <= {on_target} THEN 1 ELSE 3 + (n % {OTHER_ARTICLES}) END,
                       NULL, strftime('%s','now') - ({preload} - n), NULL, 1, '127.0.0.0',
                       'Preloaded comment number ' || n || ' on the repairs.',
                       'Reader ' || n, NULL, NULL, 0, 0, x''
                FROM g
                """
            )

    def gunicorn_command(self) -> list[str]:
        return [
            str(self.venv / "bin" / "gunicorn"),
            "isso.run",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            "2",
            "--preload",
        ]

    def env(self) -> dict[str, str]:
        return {**os.environ, "ISSO_SETTINGS": str(self.dir / "isso.cfg")}

    def post_request(self, number: int) -> Request:
        body = json.dumps({"author": "Bench", "text": _text(number, "isso")}).encode()
        return Request(
            "POST",
            f"/new?uri={urllib.parse.quote('/' + POST_SLUG)}",
            body,
            {"Content-Type": "application/json"},
        )

    def accept_post(self, status: int, headers: dict[str, str], body: bytes) -> str | None:
        return str(json.loads(body)["id"]) if status == 201 else None

    def get_request(self, number: int) -> Request:
        return Request("GET", f"/?uri={urllib.parse.quote('/' + GET_SLUG)}&limit=50")

    def accept_get(self, status: int, headers: dict[str, str], body: bytes) -> str | None:
        if status != 200:
            return None
        return "" if len(json.loads(body)["replies"]) == 50 else None

    def stored(self) -> int:
        with sqlite3.connect(self.db_path) as db:
            return int(
                db.execute(
                    "SELECT count(*) FROM comments WHERE text LIKE 'bench isso %'"
                ).fetchone()[0]
            )


_DCC_SETTINGS = """
SECRET_KEY = "bench-only-django-contrib-comments-secret-key-0123456789"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]
INSTALLED_APPS = [
    "django.contrib.contenttypes", "django.contrib.auth", "django.contrib.sessions",
    "django.contrib.sites", "django_comments", "bench_app",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
LOGGING = {
    "version": 1,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR"}},
}
ROOT_URLCONF = "bench_urls"
TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True}]
DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "%(db)s",
             "USER": "postgres", "HOST": "127.0.0.1", "PORT": "5432", "CONN_MAX_AGE": 60}}
SITE_ID = 1
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
"""

_DCC_MODELS = """
from django.db import models


class Article(models.Model):
    title = models.CharField(max_length=200)
"""

_DCC_URLS = """
from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, render
from django.urls import include, path
from django_comments.forms import CommentForm

from bench_app.models import Article


def form_data(request, pk):
    # What a browser gets from the article page: the signed form fields and a CSRF token.
    form = CommentForm(get_object_or_404(Article, pk=pk))
    data = form.generate_security_data()
    return JsonResponse({**data, "csrfmiddlewaretoken": get_token(request)})


def comments(request, pk):
    article = get_object_or_404(Article, pk=pk)
    return render(request, "bench_app/comments.html", {"article": article})


urlpatterns = [
    path("comments/", include("django_comments.urls")),
    path("form/<int:pk>/", form_data),
    path("articles/<int:pk>/comments/", comments),
]
"""

_DCC_TEMPLATE = """{% load comments %}<!doctype html><title>{{ article.title }}</title>
{% get_comment_list for article as comment_list %}
{% for comment in comment_list|slice:":50" %}<div class="comment" id="c{{ comment.id }}">
<p><strong>{{ comment.user_name }}</strong> {{ comment.submit_date|date:"j F Y, H:i" }}</p>
<p>{{ comment.comment|linebreaksbr }}</p></div>{% endfor %}
"""


class DjangoContribComments(GunicornPeer):
    name = "django_contrib_comments"
    packages = ("django-contrib-comments", "Django>=5.2,<5.3", "psycopg[binary]")
    database = f"{DB_PREFIX}_dcc"

    def prepare(self, preload: int) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        self.install()
        project = self.dir / "project"
        shutil.rmtree(project, ignore_errors=True)
        (project / "bench_app" / "templates" / "bench_app").mkdir(parents=True)
        (project / "bench_settings.py").write_text(_DCC_SETTINGS % {"db": self.database})
        (project / "bench_urls.py").write_text(_DCC_URLS)
        (project / "bench_app" / "__init__.py").write_text("")
        (project / "bench_app" / "models.py").write_text(_DCC_MODELS)
        (project / "bench_app" / "templates" / "bench_app" / "comments.html").write_text(
            _DCC_TEMPLATE
        )
        recreate_database(self.database)
        python = str(self.venv / "bin" / "python")
        env = self.env()
        run(python, "-m", "django", "makemigrations", "bench_app", "-v", "0", env=env)
        run(python, "-m", "django", "migrate", "-v", "0", env=env)
        psql(
            self.database,
            f"""
            INSERT INTO bench_app_article (title)
            SELECT 'Article ' || g FROM generate_series(1, {2 + OTHER_ARTICLES}) AS g;
            INSERT INTO django_comments (
                content_type_id, object_pk, site_id, user_name, user_email, user_url,
                comment, submit_date, ip_address, is_public, is_removed)
            SELECT (SELECT id FROM django_content_type WHERE app_label = 'bench_app'),
                   CASE WHEN g <= {min(1000, preload)} THEN '1'
                        ELSE (3 + g % {OTHER_ARTICLES})::text END,
                   1, 'Reader ' || g, '', '',
                   'Preloaded comment number ' || g || ' on the repairs.',
                   now() - (({preload} - g) || ' seconds')::interval, '127.0.0.1', true, false
            FROM generate_series(1, {preload}) AS g;
            ANALYZE;
            """,
        )

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench_settings",
            "PYTHONPATH": str(self.dir / "project"),
        }

    def gunicorn_command(self) -> list[str]:
        return [
            str(self.venv / "bin" / "gunicorn"),
            "django.core.wsgi:get_wsgi_application()",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            "2",
        ]

    def start(self) -> None:
        super().start()
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        conn.request("GET", "/form/2/")
        response = conn.getresponse()
        self.form = json.loads(response.read())
        cookie = response.getheader("Set-Cookie", "")
        self.cookie = cookie.split(";", 1)[0]

    def post_request(self, number: int) -> Request:
        fields = {
            **self.form,
            "name": "Bench",
            "email": "bench@example.org",
            "url": "",
            "comment": _text(number, "dcc"),
            "honeypot": "",
        }
        return Request(
            "POST",
            "/comments/post/",
            urllib.parse.urlencode(fields).encode(),
            {"Content-Type": "application/x-www-form-urlencoded", "Cookie": self.cookie},
        )

    def accept_post(self, status: int, headers: dict[str, str], body: bytes) -> str | None:
        # Success is a redirect to the "posted" page naming the new comment.
        match = re.search(r"[?&]c=(\d+)", headers.get("location", ""))
        return match.group(1) if status == 302 and match else None

    def get_request(self, number: int) -> Request:
        return Request("GET", "/articles/1/comments/")

    def accept_get(self, status: int, headers: dict[str, str], body: bytes) -> str | None:
        return "" if status == 200 and body.count(b'class="comment"') == 50 else None

    def stored(self) -> int:
        return int(
            psql(
                self.database,
                "SELECT count(*) FROM django_comments WHERE comment LIKE 'bench dcc %'",
            )
        )


_CEILING_SETTINGS = """
SECRET_KEY = "bench-only-ceiling-secret-key-0123456789abcdefghijklmnopqrstuvwxyz"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]
INSTALLED_APPS = []
MIDDLEWARE = []
ROOT_URLCONF = "ceiling_urls"
USE_TZ = True
DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "%(db)s",
             "USER": "postgres", "HOST": "127.0.0.1", "PORT": "5432", "CONN_MAX_AGE": 60}}
# A failing request's traceback goes to server.log.
LOGGING = {"version": 1, "handlers": {"log": {"class": "logging.StreamHandler"}},
           "loggers": {"django.request": {"handlers": ["log"], "level": "ERROR"}}}
"""

# The most this stack can do: a Django view with no middleware, no validation, no
# queueing. POST: the one INSERT a comment must cost, into our comment table on our
# database (the article found inside the statement). GET: 50 comments' worth of bytes.
_CEILING_URLS = """
import json

from django.db import connection
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

PAGE = json.dumps({"next": None, "previous": None, "results": [
    {"id": n, "parent": None, "author_name": f"Reader {n}",
     "body": f"Preloaded comment number {n} on the repairs.", "is_spoiler": False,
     "created_at": "2026-11-27T09:25:00.000000Z"} for n in range(1, 51)]}).encode()

INSERT = %(insert)r


@csrf_exempt
def comments(request, slug):
    if request.method == "GET":
        return HttpResponse(PAGE, content_type="application/json")
    data = json.loads(request.body)
    with connection.cursor() as cursor:
        cursor.execute(INSERT, {"author_name": data["author_name"], "body": data["body"],
                                "ip": request.META["REMOTE_ADDR"], "slug": slug})
        pk, created = cursor.fetchone()
    body = json.dumps({"id": pk, "status": "pending", "created_at": created.isoformat()})
    return HttpResponse(body, content_type="application/json", status=201)


urlpatterns = [path("api/v1/articles/<slug:slug>/comments/", comments)]
"""


# The ceiling writes to a copy of our comment table (its columns, defaults, indexes and
# the article's foreign key): the same INSERT's cost, without the rows being pending
# comments our worker would go on to score beside ours.
CEILING_TABLE = "bench_ceiling_comment"


def create_ceiling_table() -> None:
    psql(
        Us.database,
        f"""
        DROP TABLE IF EXISTS {CEILING_TABLE};
        CREATE TABLE {CEILING_TABLE} (LIKE moderation_comment INCLUDING ALL);
        ALTER TABLE {CEILING_TABLE} ADD FOREIGN KEY (article_id)
            REFERENCES articles_article (id) DEFERRABLE INITIALLY DEFERRED;
        """,
    )


def ceiling_insert() -> str:
    """The one INSERT a comment must cost: the article found inside the statement."""
    columns, values = with_required(
        {
            "article_id": "id",
            "author_name": "%(author_name)s",
            "body": "%(body)s",
            "ip_address": "%(ip)s",
        },
        lambda sql: psql(Us.database, sql),
    )
    return (
        f"INSERT INTO {CEILING_TABLE} ({columns}) SELECT {values} "
        "FROM articles_article WHERE slug = %(slug)s RETURNING id, created_at"
    )


class Ceiling(GunicornPeer):
    """Bare Django on our venv and database: what the stack can do at most."""

    name = "ceiling"

    def prepare(self, preload: int) -> None:
        project = self.dir / "project"
        shutil.rmtree(project, ignore_errors=True)
        project.mkdir(parents=True)
        (project / "ceiling_settings.py").write_text(_CEILING_SETTINGS % {"db": Us.database})
        create_ceiling_table()
        (project / "ceiling_urls.py").write_text(_CEILING_URLS % {"insert": ceiling_insert()})
        (project / "ceiling_wsgi.py").write_text(
            "from django.core.wsgi import get_wsgi_application\n\n"
            "application = get_wsgi_application()\n"
        )

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "ceiling_settings",
            "PYTHONPATH": str(self.dir / "project"),
        }

    def gunicorn_command(self) -> list[str]:
        # Under the same server as ours (WEB_SERVER), so the ceiling is this stack's.
        return web_command(self.port, module="ceiling_wsgi")

    def post_request(self, number: int) -> Request:
        body = json.dumps({"author_name": "Bench", "body": _text(number, "ceiling")}).encode()
        return Request(
            "POST",
            US_POST_PATH.format(slug=POST_SLUG),
            body,
            {"Content-Type": "application/json"},
        )

    def accept_post(self, status: int, headers: dict[str, str], body: bytes) -> str | None:
        return str(json.loads(body)["id"]) if status == 201 else None

    def get_request(self, number: int) -> Request:
        return Request("GET", US_LIST_PATH.format(slug=GET_SLUG))

    def accept_get(self, status: int, headers: dict[str, str], body: bytes) -> str | None:
        return "" if status == 200 and len(json.loads(body)["results"]) == 50 else None

    def stored(self) -> int:
        return int(
            psql(
                Us.database,
                f"SELECT count(*) FROM {CEILING_TABLE} WHERE body LIKE 'bench ceiling %'",
            )
        )


# --- the wrk client -------------------------------------------------------------------

# Stands for the request's number in a body; wrk's Lua script puts a fresh one in its place.
NUMBER_SLOT = 987654321987

_WRK_SCRIPT = """
local method, path, body = [==[%(method)s]==], [==[%(path)s]==], [==[%(body)s]==]
local headers = %(headers)s
local base, slot = %(base)d, "%(slot)d"
local threads = 0
function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end
local n = 0
function request()
  n = n + 1
  local text = body
  if text ~= "" then
    text = (string.gsub(body, slot, tostring(base + tid * 100000000 + n)))
  end
  return wrk.format(method, path, headers, text)
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRK-JSON {\\"requests\\": %%d, \\"errors\\": %%d, " ..
    "\\"duration_us\\": %%d, \\"p99_us\\": %%d}\\n",
    summary.requests, e.connect + e.read + e.write + e.status + e.timeout,
    summary.duration, latency:percentile(99)))
end
"""

_WRK_PHASES = itertools.count(1)


def drive_wrk(*, port: int, request: Request, duration: float, connections: int) -> PhaseResult:
    """The same phase with wrk: its own threads in C, so the client takes less of the CPU.

    Errors are what wrk counts (sockets, timeouts, statuses from 400 up); the answers'
    contents are checked by the Python client's warm-up requests.
    """
    lua_headers = (
        "{" + ", ".join(f"[ [==[{k}]==] ] = [==[{v}]==]" for k, v in request.headers.items()) + "}"
    )
    script = _WRK_SCRIPT % {
        "method": request.method,
        "path": request.path,
        "body": (request.body or b"").decode(),
        "headers": lua_headers,
        "base": next(_WRK_PHASES) * 10**11,
        "slot": NUMBER_SLOT,
    }
    script_path = PEERS_DIR / "wrk-phase.lua"
    PEERS_DIR.mkdir(parents=True, exist_ok=True)
    script_path.write_text(script)
    output = run(
        "wrk",
        f"-t{min(2, connections)}",
        f"-c{connections}",
        f"-d{max(1, round(duration))}s",
        "--timeout",
        "10s",
        "-s",
        script_path,
        f"http://127.0.0.1:{port}",
        timeout=duration + 60,
    )
    line = next(x for x in output.splitlines() if x.startswith("WRK-JSON "))
    figures = json.loads(line.removeprefix("WRK-JSON "))
    errors = int(figures["errors"])
    return PhaseResult(
        requests=int(figures["requests"]),
        errors=errors,
        seconds=figures["duration_us"] / 1e6,
        latencies_ms=[],
        accepted=int(figures["requests"]) - errors,
        error_samples=[],
        p99_override_ms=figures["p99_us"] / 1000,
    )


# --- the run -----------------------------------------------------------------------------


@dataclass
class Figures:
    post: list[PhaseResult] = field(default_factory=list)
    get: list[PhaseResult] = field(default_factory=list)
    failed: str = ""

    def summary(self, system: System, drain: float) -> dict[str, Any]:
        if self.failed:
            return {"error": self.failed}
        accepted = sum(phase.accepted for phase in self.post)
        return {
            "post_rps": round(statistics.median(p.rps for p in self.post), 1),
            "post_p99_ms": round(statistics.median(p.p99_ms for p in self.post), 1),
            "get_rps": round(statistics.median(p.rps for p in self.get), 1),
            "get_p99_ms": round(statistics.median(p.p99_ms for p in self.get), 1),
            "errors": sum(p.errors for p in self.post + self.get),
            "lost": system.lost(accepted),
            "unscored": system.unscored(drain),
            "posted": accepted,
            "error_samples": [s for p in self.post + self.get for s in p.error_samples][:3],
        }


@contextlib.contextmanager
def running(systems: list[System]) -> Iterator[None]:
    try:
        yield
    finally:
        for system in systems:
            with contextlib.suppress(Exception):
                system.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per phase (≤ 10)")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--preload", type=int, default=100_000)
    parser.add_argument("--drain", type=float, default=180.0, help="max wait for scoring, s")
    parser.add_argument(
        "--systems",
        default="us,ceiling,isso,django_contrib_comments",
        help="comma-separated (ceiling needs us: it writes to our database)",
    )
    parser.add_argument(
        "--client",
        choices=("auto", "wrk", "python"),
        default="auto",
        help="load client: wrk when installed (auto), else Python threads",
    )
    args = parser.parse_args()
    duration = min(args.duration, 10.0)
    client = args.client
    if client == "auto":
        client = "wrk" if shutil.which("wrk") else "python"
    log(f"load client: {client}; our server and the ceiling's: {web_server()} (WEB_SERVER)")

    known: dict[str, Callable[[], System]] = {
        "us": Us,
        "isso": Isso,
        "django_contrib_comments": DjangoContribComments,
        "ceiling": Ceiling,
    }
    systems = [known[name]() for name in args.systems.split(",") if name]
    # The machine is shared: say how busy it was, since every figure depends on it.
    load_before = os.getloadavg()[0]
    figures = {system.name: Figures() for system in systems}
    with running(systems):
        for system in systems:
            log(f"{system.name}: preparing ({args.preload:,} comments)")
            try:
                system.prepare(args.preload)
                system.start()
                # One request of each kind, so no phase pays for a cold start.
                for make, accept in (
                    (system.get_request, system.accept_get),
                    (system.post_request, system.accept_post),
                ):
                    drive(
                        port=system.port,
                        make_request=make,
                        accept=accept,
                        duration=1,
                        connections=2,
                    )
            except Exception as error:  # a peer that can't run here is reported, not fatal
                figures[system.name].failed = f"{type(error).__name__}: {error}"[:2000]
                log(f"{system.name}: cannot run: {figures[system.name].failed}")
                system.stop()
        live = [s for s in systems if not figures[s.name].failed]
        MARKER["text"] = "bench"
        for round_number in range(args.rounds):
            order = (
                live[round_number % max(1, len(live)) :] + live[: round_number % max(1, len(live))]
            )
            for system in order:
                for phase, make, accept in (
                    ("post", system.post_request, system.accept_post),
                    ("get", system.get_request, system.accept_get),
                ):
                    if client == "wrk":
                        result = drive_wrk(
                            port=system.port,
                            request=make(NUMBER_SLOT),
                            duration=duration,
                            connections=args.connections,
                        )
                    else:
                        result = drive(
                            port=system.port,
                            make_request=make,
                            accept=accept,
                            duration=duration,
                            connections=args.connections,
                        )
                    getattr(figures[system.name], phase).append(result)
                    log(
                        f"round {round_number + 1} {system.name} {phase}: "
                        f"{result.rps:.0f}/s p99 {result.p99_ms:.1f} ms errors {result.errors}"
                    )
        load_after = os.getloadavg()[0]
        log(f"load average {load_before:.1f} → {load_after:.1f} during the phases")
        log("waiting for the worker to score every accepted comment")
        report: dict[str, dict[str, Any]] = {
            s.name: figures[s.name].summary(s, args.drain) for s in systems
        }
    report["run"] = {
        "client": client,
        "server": web_server(),
        "load_average": [round(load_before, 1), round(load_after, 1)],
        **ratios(report),
    }
    if args.json:
        print(json.dumps(report))
        return
    print_table(report, args)


PEERS = ("isso", "django_contrib_comments")


def ratios(report: dict[str, dict[str, Any]]) -> dict[str, float]:
    """Our figures against the better peer's and as a share of the ceiling's."""
    us = report.get("us", {})
    if "post_rps" not in us:
        return {}
    out: dict[str, float] = {}
    peers = [report[name] for name in PEERS if "post_rps" in report.get(name, {})]
    if peers:
        out["post_vs_better_peer"] = round(us["post_rps"] / max(p["post_rps"] for p in peers), 2)
        out["get_vs_better_peer"] = round(us["get_rps"] / max(p["get_rps"] for p in peers), 2)
    ceiling = report.get("ceiling", {})
    # A ceiling that failed every request has no share to give.
    if ceiling.get("post_rps") and ceiling.get("get_rps"):
        out["post_share_of_ceiling"] = round(us["post_rps"] / ceiling["post_rps"], 2)
        out["get_share_of_ceiling"] = round(us["get_rps"] / ceiling["get_rps"], 2)
    return out


def print_table(report: dict[str, dict[str, Any]], args: argparse.Namespace) -> None:
    columns = ["post_rps", "post_p99_ms", "get_rps", "get_p99_ms", "errors", "lost", "unscored"]
    run_info = report["run"]
    print(
        f"\n{args.connections} connections, {min(args.duration, 10.0):g} s phases, "
        f"median of {args.rounds} interleaved rounds, {args.preload:,} comments preloaded, "
        f"client {run_info['client']}, server {run_info.get('server', 'gunicorn')}, "
        f"load average {run_info['load_average']}\n"
    )
    print(f"{'system':26}" + "".join(f"{c:>13}" for c in columns))
    for name, row in report.items():
        if name == "run":
            continue
        if "error" in row:
            print(f"{name:26}  could not run: {row['error'][:300]}")
            continue
        print(f"{name:26}" + "".join(f"{row[c]!s:>13}" for c in columns))
    if "post_vs_better_peer" in run_info:
        print(
            f"\nus / better peer: POST {run_info['post_vs_better_peer']:.2f}×, "
            f"GET {run_info['get_vs_better_peer']:.2f}× (targets: POST ≥ 1.0×, GET ≥ 1.5×)"
        )
    if "post_share_of_ceiling" in run_info:
        print(
            f"us / ceiling: POST {run_info['post_share_of_ceiling']:.0%}, "
            f"GET {run_info['get_share_of_ceiling']:.0%} (goals: ≥ 70% and ≥ 50%)"
        )


if __name__ == "__main__":
    main()
