"""Where the CPU of a burst of comment POSTs goes, by process: web, worker, database.

    python bench/post_cpu.py [--duration 8] [--connections 8] [--preload 10000]

The stack of bench/scale.py (gunicorn with 2 workers on production settings, one
scoring worker, PostgreSQL and Redis on this machine; WEB_SERVER picks the web
server) takes a POST phase from wrk; the CPU time of every process on the machine is
read from /proc before and after, grouped by role (gunicorn, celery, postgres,
redis-server, ...), and printed per accepted POST. On two cores the roles share, this
says what a comment costs the machine as a whole, and which part of it is ours.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import load
import scale
from load import log, psql

_TICK = os.sysconf("SC_CLK_TCK")


def cpu_by_role() -> dict[str, float]:
    """CPU seconds used so far by every live process, by role."""
    used: dict[str, float] = {}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            stat = (proc / "stat").read_text()
            command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat.rsplit(")", 1)[1].split()
        role = next((r for r in ("celery", "gunicorn", "granian") if r in command), name)
        used[role] = used.get(role, 0.0) + (int(fields[11]) + int(fields[12])) / _TICK
    return used


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=8.0)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--preload", type=int, default=10_000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    psql("postgres", f"DROP DATABASE IF EXISTS {scale.DATABASE} WITH (FORCE)")
    psql("postgres", f"CREATE DATABASE {scale.DATABASE}")
    try:
        log("preparing the database")
        scale.prepare(args.preload)
        load.MARKER["text"] = "bench"
        stack = scale.make_stack(("web", "scoring"), web_workers=2)
        us = load.Us()
        us.port = stack.port
        with stack:
            load.drive(
                port=stack.port,
                make_request=us.post_request,
                accept=lambda status, headers, body: "" if status < 400 else None,
                duration=1,
                connections=2,
            )
            time.sleep(3)  # the warm-up's comments scored
            before, started = cpu_by_role(), time.monotonic()
            result = load.drive_wrk(
                port=stack.port,
                request=us.post_request(load.NUMBER_SLOT),
                duration=args.duration,
                connections=args.connections,
            )
            wall = time.monotonic() - started
            after = cpu_by_role()
    finally:
        psql("postgres", f"DROP DATABASE IF EXISTS {scale.DATABASE} WITH (FORCE)")
    posted = result.requests - result.errors
    # wrk has exited by now: its CPU is not in `after` (it ran beside the roles).
    roles = {
        role: round(1000 * (after[role] - before.get(role, 0.0)) / posted, 2)
        for role in after
        if after[role] - before.get(role, 0.0) > 0.05
    }
    report = {
        "posts_per_second": round(posted / wall, 1),
        "errors": result.errors,
        "server": scale.web_server(),
        "cpu_ms_per_post": dict(sorted(roles.items(), key=lambda kv: -kv[1])),
        "load_average": round(os.getloadavg()[0], 1),
    }
    if args.json:
        print(json.dumps(report))
        return
    print(f"{report['posts_per_second']} POST/s, {result.errors} errors ({report['server']})")
    for role, ms in report["cpu_ms_per_post"].items():
        print(f"  {role:20} {ms:6.2f} ms CPU per POST")


if __name__ == "__main__":
    main()
