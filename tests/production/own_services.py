"""A PostgreSQL cluster and a Redis server that a test starts, stops and throws away itself.

Fault tests restart these, never the machine's shared servers: a throwaway cluster under
/tmp on a free port (run as the `postgres` user when we are root, as initdb requires) and a
redis-server on a free port with an append-only file, as in docker-compose.yml.
"""

from __future__ import annotations

import glob
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _postgres_bin() -> Path:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if candidates:
        return Path(candidates[-1]).parent
    initdb = shutil.which("initdb")
    if initdb is None:
        raise RuntimeError("PostgreSQL server binaries (initdb, pg_ctl) are not installed.")
    return Path(os.path.realpath(initdb)).parent


def available() -> str | None:
    """Why these services can't run here, or None when they can."""
    try:
        _postgres_bin()
    except RuntimeError as error:
        return str(error)
    if shutil.which("redis-server") is None:
        return "redis-server is not installed."
    return None


class OwnPostgres:
    def __init__(self) -> None:
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="newsroom-faults-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "postgres.log"
        self.bin = _postgres_bin()
        self._as_postgres = os.geteuid() == 0
        if self._as_postgres:
            shutil.chown(self.root, "postgres", "postgres")
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-sync",
        )

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, tool: str, *args: str, timeout: float = 60) -> None:
        command = [str(self.bin / tool), *args]
        if self._as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(  # noqa: S603 - fixed binaries, our own arguments
            command, check=True, capture_output=True, timeout=timeout, cwd=self.root
        )

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c full_page_writes=off -c max_connections=200"
        )
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.log), "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "30", "stop")

    def is_running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def create_database(self, name: str) -> None:
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name)

    def destroy(self) -> None:
        try:
            if self.is_running():
                self.stop(mode="immediate")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


class OwnRedis:
    def __init__(self) -> None:
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="newsroom-faults-redis-"))
        self._process: subprocess.Popen[bytes] | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        self._process = subprocess.Popen(  # noqa: S603
            [
                shutil.which("redis-server") or "/usr/bin/redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "yes",
                "--dir",
                str(self.root),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(64).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        # SIGTERM: Redis flushes its append-only file, so queued tasks survive the restart.
        if self._process is not None and self._process.poll() is None:
            self._process.send_signal(signal.SIGTERM)
            self._process.wait(timeout=30)
        self._process = None

    def is_running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def destroy(self) -> None:
        try:
            if self._process is not None and self._process.poll() is None:
                self._process.kill()
                self._process.wait(timeout=10)
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
