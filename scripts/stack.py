"""Start, stop and kill the service's processes: gunicorn, Celery workers and beat.

Used by benchmarks and fault tests; also runnable by hand. Each process runs in its
own session (process group), so `kill` reaches a worker's pool children too, and the
logs go to files under the stack's log directory.

Interface (kept stable; other tools import it):

    from scripts.stack import Stack

    with Stack(database_url=..., broker_url=..., port=8123) as stack:   # start(): all
        stack.base_url                      # "http://127.0.0.1:8123"
        stack.stop("scoring")               # SIGTERM, wait (warm shutdown)
        stack.kill("scoring")               # SIGKILL the whole process group
        stack.start("scoring")              # start one again, wait until ready
        stack.is_running("beat")
        stack.log("scoring")                # the process's log so far
        stack.manage("migrate", "--noinput")   # a manage.py command, same environment
        post_comment(stack.base_url, slug="some-article", body="Hello")   # -> 201

    COMMENT_URL is the endpoint post_comment uses (JSON: author_name, author_email, body).
    # leaving the block stops everything that is still running

    Stack(..., processes=("web", "scoring"))   # only some of them
    Stack(..., env={"SCORING_GRACE_SECONDS": "2"})  # extra environment for every process

Process names: "web" (gunicorn, `web_workers` workers), "scoring" (Celery worker on the
scoring queue, concurrency `scoring_concurrency`), "training" (Celery worker on the
training queue), "beat" (Celery beat). Readiness: web answers HTTP on its port; a
worker has logged "ready."; beat has logged its start.

The stack neither creates the database nor migrates it: call `stack.manage("migrate")`
and `stack.manage("train_default_models")` first when the database is new.

From the shell (runs until Ctrl+C):

    python scripts/stack.py --port 8000 [--processes web,scoring,training,beat]
        [--migrate] [--log-dir var/log/stack]

Environment: DATABASE_URL and CELERY_BROKER_URL (or --database-url, --broker-url).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

ROOT = Path(__file__).resolve().parent.parent
# The public endpoint readers' comments are posted to; the one place to change if it moves.
COMMENT_URL = "/api/v1/articles/{slug}/comments/"
ALL_PROCESSES = ("web", "scoring", "training", "beat")
READY_TIMEOUT = 60.0


class StackError(RuntimeError):
    """A process did not start, or died while it was expected to run."""


def post_comment(
    base_url: str,
    *,
    slug: str,
    body: str,
    author_name: str = "Test reader",
    author_email: str = "",
    timeout: float = 10.0,
) -> int:
    """Post a comment as a reader would; returns the HTTP status (201 when accepted)."""
    payload = {"author_name": author_name, "author_email": author_email, "body": body}
    request = urllib.request.Request(  # noqa: S310 - our own server on loopback
        base_url + COMMENT_URL.format(slug=slug),
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json", "Accept": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def production_env(cache_url: str) -> dict[str, str]:
    """What newsroom.settings.production needs to start on this machine over plain HTTP.

    For benchmarks and tests on loopback: the secret key is not secret.
    """
    return {
        "SECRET_KEY": "loopback-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CACHE_URL": cache_url,
        "SECURE_SSL_REDIRECT": "false",
    }


# The WSGI servers the stack can run under (WEB_SERVER): gunicorn's sync workers (the
# default, and what the image runs), its threaded workers, or granian (a Rust server
# with HTTP keep-alive; not a dependency: `pip install granian` to measure it).
# docs/benchmarks.md compares them.
WEB_SERVERS = ("gunicorn", "gthread", "granian")
GTHREAD_THREADS = 4
GRANIAN_BLOCKING_THREADS = 1


def web_server() -> str:
    server = os.environ.get("WEB_SERVER", "gunicorn")
    if server not in WEB_SERVERS:
        raise ValueError(f"WEB_SERVER={server!r}: one of {', '.join(WEB_SERVERS)}")
    return server


def web_command(
    port: int,
    *,
    workers: int = 2,
    python: str = sys.executable,
    module: str = "newsroom.wsgi",
    server: str | None = None,
) -> list[str]:
    """A WSGI server serving `module`'s `application` on 127.0.0.1:port."""
    server = server or web_server()
    if server == "granian":
        return [
            python,
            "-m",
            "granian",
            "--interface",
            "wsgi",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--blocking-threads",
            str(GRANIAN_BLOCKING_THREADS),
            "--no-ws",
            f"{module}:application",
        ]
    command = [python, "-m", "gunicorn", module, "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(workers)]
    if server == "gthread":
        command += ["--worker-class", "gthread", "--threads", str(GTHREAD_THREADS)]
    return command


def gunicorn_command(port: int, *, workers: int = 2, python: str = sys.executable) -> list[str]:
    """gunicorn (sync workers) serving the project on 127.0.0.1:port."""
    return web_command(port, workers=workers, python=python, server="gunicorn")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class _Running:
    popen: subprocess.Popen[bytes]
    log_path: Path
    log_offset: int


class Stack:
    def __init__(
        self,
        *,
        database_url: str | None = None,
        broker_url: str | None = None,
        port: int | None = None,
        processes: Iterable[str] = ALL_PROCESSES,
        env: Mapping[str, str] | None = None,
        log_dir: str | Path | None = None,
        web_workers: int = 2,
        scoring_concurrency: int = 1,
        settings: str = "newsroom.settings.dev",
        python: str = sys.executable,
    ) -> None:
        self.database_url = database_url or os.environ.get("DATABASE_URL", "")
        self.broker_url = broker_url or os.environ.get("CELERY_BROKER_URL", "")
        self.port = port or free_port()
        self.processes = tuple(processes)
        unknown = set(self.processes) - set(ALL_PROCESSES)
        if unknown:
            raise ValueError(f"Unknown processes: {sorted(unknown)}; known: {ALL_PROCESSES}")
        self.log_dir = Path(log_dir) if log_dir else Path(tempfile.mkdtemp(prefix="stack-"))
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self.web_workers = web_workers
        self.scoring_concurrency = scoring_concurrency
        self.python = python
        self.env = self._environment(settings, env or {})
        self._running: dict[str, _Running] = {}

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # --- lifecycle -----------------------------------------------------------
    def __enter__(self) -> Stack:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def start(self, *names: str, timeout: float = READY_TIMEOUT) -> None:
        """Start the named processes (all configured ones by default), wait until ready."""
        for name in names or self.processes:
            if self.is_running(name):
                continue
            log_path = self.log_dir / f"{name}.log"
            log_offset = log_path.stat().st_size if log_path.exists() else 0
            with open(log_path, "ab") as log:
                popen = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
                    self._command(name),
                    cwd=ROOT,
                    env=self.env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL,
                    start_new_session=True,
                )
            self._running[name] = _Running(popen, log_path, log_offset)
        for name in names or self.processes:
            self._wait_ready(name, timeout)

    def stop(self, *names: str, timeout: float = 20.0) -> None:
        """SIGTERM (a warm shutdown for workers), then SIGKILL what is left after timeout."""
        targets = [n for n in (names or list(self._running)) if n in self._running]
        for name in targets:
            # The main process only: it finishes its pool's running tasks (warm shutdown).
            with contextlib.suppress(ProcessLookupError):
                self._running[name].popen.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for name in targets:
            popen = self._running[name].popen
            try:
                popen.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self._signal(name, signal.SIGKILL)
                popen.wait(timeout=10)
            # Pool children may outlive their parent for a moment; never leave them behind.
            self._signal(name, signal.SIGKILL)
            del self._running[name]

    def kill(self, name: str, sig: signal.Signals = signal.SIGKILL) -> None:
        """Kill a process and its children at once, as a crash or an OOM kill would."""
        running = self._running.get(name)
        if running is None:
            raise StackError(f"{name} is not running")
        self._signal(name, sig)
        if sig == signal.SIGKILL:
            running.popen.wait(timeout=10)
            del self._running[name]

    def restart(self, name: str) -> None:
        self.stop(name)
        self.start(name)

    def is_running(self, name: str) -> bool:
        running = self._running.get(name)
        return running is not None and running.popen.poll() is None

    def log(self, name: str) -> str:
        path = self.log_dir / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def manage(self, *args: str, timeout: float = 300) -> str:
        """Run a manage.py command in the stack's environment; return its output."""
        result = subprocess.run(  # noqa: S603
            [self.python, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if result.returncode != 0:
            raise StackError(f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
        return result.stdout

    # --- internals -------------------------------------------------------------
    def _environment(self, settings: str, extra: Mapping[str, str]) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": settings,
                "DEBUG": "false",
                "PYTHONPATH": str(ROOT),
                "PYTHONUNBUFFERED": "1",
                # Load tests and benchmarks post far faster than a reader would.
                "THROTTLE_COMMENT_SUBMIT": "1000000/minute",
                "THROTTLE_PUBLIC_WRITE": "1000000/minute",
            }
        )
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        if self.broker_url:
            env["CELERY_BROKER_URL"] = self.broker_url
        env.update(extra)
        return env

    def _command(self, name: str) -> list[str]:
        celery = [self.python, "-m", "celery", "-A", "newsroom"]
        node = f"{name}-{self.port}@%h"
        if name == "web":
            command = web_command(self.port, workers=self.web_workers, python=self.python)
            if web_server() == "granian":
                return [*command, "--access-log", "--workers-kill-timeout", "5"]
            return [*command, "--access-logfile", "-", "--graceful-timeout", "5"]
        if name in ("scoring", "training"):
            concurrency = self.scoring_concurrency if name == "scoring" else 1
            return [
                *celery,
                "worker",
                "-Q",
                name,
                "-c",
                str(concurrency),
                "-n",
                node,
                "--without-gossip",
                "--without-mingle",
                "--loglevel",
                "INFO",
            ]
        schedule = self.log_dir / "celerybeat-schedule"
        return [*celery, "beat", "-s", str(schedule), "--loglevel", "INFO"]

    def _signal(self, name: str, sig: signal.Signals) -> None:
        running = self._running.get(name)
        if running is None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(running.popen.pid, sig)

    def _wait_ready(self, name: str, timeout: float) -> None:
        running = self._running[name]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if running.popen.poll() is not None:
                code = running.popen.returncode
                raise StackError(f"{name} exited with {code}:\n{self.log(name)}")
            if self._ready(name, running):
                return
            time.sleep(0.2)
        raise StackError(f"{name} not ready after {timeout:.0f} s:\n{self.log(name)}")

    def _ready(self, name: str, running: _Running) -> bool:
        if name == "web":
            try:
                with urllib.request.urlopen(self.base_url + "/", timeout=2):  # noqa: S310
                    return True
            except urllib.error.HTTPError:
                return True  # it answered
            except OSError:
                return False
        with open(running.log_path, "rb") as log:
            log.seek(running.log_offset)
            text = log.read().decode(errors="replace")
        marker = "beat: Starting" if name == "beat" else " ready."
        return marker in text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--processes", default=",".join(ALL_PROCESSES))
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--broker-url", default=os.environ.get("CELERY_BROKER_URL"))
    parser.add_argument("--log-dir", default=str(ROOT / "var" / "log" / "stack"))
    parser.add_argument("--migrate", action="store_true", help="migrate and train first")
    args = parser.parse_args()
    stack = Stack(
        database_url=args.database_url,
        broker_url=args.broker_url,
        port=args.port,
        processes=[p for p in args.processes.split(",") if p],
        log_dir=args.log_dir,
    )
    if args.migrate:
        stack.manage("migrate", "--noinput")
        stack.manage("train_default_models")
    stop = False

    def request_stop(signum: int, frame: object) -> None:
        nonlocal stop
        stop = True

    signal.signal(signal.SIGTERM, request_stop)
    with stack:
        print(f"Stack up at {stack.base_url}; logs in {stack.log_dir}. Ctrl+C stops it.")
        try:
            while not stop:
                for name in stack.processes:
                    if not stack.is_running(name):
                        raise StackError(f"{name} died:\n{stack.log(name)[-2000:]}")
                time.sleep(1)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
