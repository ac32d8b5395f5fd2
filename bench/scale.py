"""What each role costs per core: 1, 2 and 4 web processes and scoring workers on one machine.

    python bench/scale.py [--json] [--duration 5] [--backlog 600]

One PostgreSQL database (BENCH_DB_PREFIX + "_scale", created and dropped) and one Redis
(the two BENCH_REDIS_DBS, flushed), ports from BENCH_PORT_BASE, the stack of
scripts/stack.py on production settings:

- web: gunicorn with 1, 2 and 4 sync workers, one scoring worker beside it; a POST phase
  and a GET phase (the cached list) with the load client of bench/load.py (wrk when
  installed). CPU seconds of every process of each role are read from /proc before and
  after, so POST/s per CPU-second of the web role is known.
- scoring: with the web tier stopped, a backlog of --backlog comments is written, then
  1, 2 and 4 scoring processes (Celery, concurrency 1 each) score it; scored/s and the
  CPU they used.
- memory: the resident set size of each role's processes, with every role running
  (web 2 workers, scoring, training, beat), as `make run` starts them.

The processes run on this interpreter's environment: for production's memory figures,
run it with a virtual environment made from requirements-prod.lock (the development
one adds test tools, and with them `requests`, which DRF imports when it is there).
WEB_SERVER picks the web server (scripts/stack.py: gunicorn, gthread, granian).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import load
from load import PG, REDIS, REDIS_DBS, log, next_port, psql, run

from bench._comment_table import with_required
from scripts.stack import Stack, production_env, web_server

DATABASE = f"{load.DB_PREFIX}_scale"
_TICK = os.sysconf("SC_CLK_TCK")
_PAGE = os.sysconf("SC_PAGE_SIZE")


def group_processes(leader: int) -> list[int]:
    """The processes of a stack role: its session (process group) on this machine."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == leader:  # pgrp
            pids.append(int(entry.name))
    return pids


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / _TICK


def rss_mb(pid: int) -> float:
    try:
        pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
    except OSError:
        return 0.0
    return pages * _PAGE / 2**20


def role_pids(stack: Stack, role: str) -> list[int]:
    return group_processes(stack._running[role].popen.pid)


def make_stack(processes: tuple[str, ...], web_workers: int = 2, scoring: int = 1) -> Stack:
    return Stack(
        database_url=f"{PG}/{DATABASE}",
        broker_url=f"{REDIS}/{REDIS_DBS[0]}",
        port=next_port(),
        processes=processes,
        settings="newsroom.settings.production",
        web_workers=web_workers,
        scoring_concurrency=scoring,
        env={
            **production_env(cache_url=f"{REDIS}/{REDIS_DBS[1]}"),
            "THROTTLE_COMMENT_SUBMIT": "1000000/minute",
            "THROTTLE_PUBLIC_WRITE": "1000000/minute",
            "THROTTLE_PUBLIC_READ": "1000000/minute",
        },
    )


def prepare(preload: int) -> None:
    load.Us.database = DATABASE
    load.Us().prepare(preload)


def web_row(workers: int, duration: float, connections: int) -> dict[str, Any]:
    stack = make_stack(("web", "scoring"), web_workers=workers)
    us = load.Us()
    us.port = stack.port
    row: dict[str, Any] = {"web_processes": workers}
    with stack:
        for phase, make in (("post", us.post_request), ("get", us.get_request)):
            load.drive(
                port=stack.port,
                make_request=make,
                accept=lambda status, headers, body: "" if status < 400 else None,
                duration=1,
                connections=2,
            )
            pids = role_pids(stack, "web")
            before = cpu_seconds(pids)
            result = load.drive_wrk(
                port=stack.port,
                request=make(load.NUMBER_SLOT),
                duration=duration,
                connections=connections,
            )
            used = cpu_seconds(pids) - before
            row[f"{phase}_rps"] = round(result.rps, 1)
            row[f"{phase}_errors"] = result.errors
            row[f"{phase}_web_cpu_s"] = round(used, 2)
            row[f"{phase}_per_cpu_second"] = round((result.requests - result.errors) / used, 1)
        row["web_rss_mb"] = [round(rss_mb(pid), 1) for pid in role_pids(stack, "web")]
    return row


def scoring_row(workers: int, backlog: int) -> dict[str, Any]:
    # The sweep scores a backlog whose tasks never ran; here it runs every second.
    fast_sweep = {"SCORING_GRACE_SECONDS": "1", "SCORING_SWEEP_SECONDS": "1"}
    stacks = [make_stack(("scoring", "beat") if n == 0 else ("scoring",)) for n in range(workers)]
    for stack in stacks:
        stack.env.update(fast_sweep)
    left_sql = (
        f"SELECT count(*) FROM moderation_comment WHERE body LIKE 'scale backlog {workers} %' "
        "AND scored_at IS NULL"
    )
    try:
        for stack in stacks:
            stack.start()
        pids = [pid for stack in stacks for pid in role_pids(stack, "scoring")]
        before = cpu_seconds(pids)
        started = time.monotonic()
        columns, values = with_required(
            {
                "article_id": f"(SELECT id FROM articles_article WHERE slug = '{load.POST_SLUG}')",
                "author_name": "'Reader ' || g",
                "body": f"'scale backlog {workers} ' || g || ': the trains run again.'",
                "created_at": "now() - interval '1 minute'",
            },
            lambda sql: psql(DATABASE, sql),
        )
        psql(
            DATABASE,
            f"INSERT INTO moderation_comment ({columns}) SELECT {values} "
            f"FROM generate_series(1, {backlog}) AS g",
        )
        while int(psql(DATABASE, left_sql)) > 0 and time.monotonic() - started < 600:
            time.sleep(0.5)
        elapsed = time.monotonic() - started
        used = cpu_seconds(pids) - before
        rss = [round(rss_mb(pid), 1) for pid in pids]
    finally:
        for stack in stacks:
            stack.stop()
    return {
        "scoring_processes": workers,
        "scored": backlog,
        "seconds": round(elapsed, 1),
        "scored_per_s": round(backlog / elapsed, 1),
        "scoring_cpu_s": round(used, 2),
        "scored_per_cpu_second": round(backlog / used, 1) if used else None,
        "scoring_rss_mb": rss,
    }


def memory_row() -> dict[str, Any]:
    stack = make_stack(("web", "scoring", "training", "beat"), web_workers=2)
    with stack:
        time.sleep(3)
        load.drive(
            port=stack.port,
            make_request=load.Us().post_request,
            accept=lambda status, headers, body: "" if status == 201 else None,
            duration=2,
            connections=2,
        )
        roles = {
            role: [round(rss_mb(pid), 1) for pid in role_pids(stack, role)]
            for role in ("web", "scoring", "training", "beat")
        }
    return {"rss_mb": roles, "total_mb": round(sum(sum(v) for v in roles.values()), 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--duration", type=float, default=5.0)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--backlog", type=int, default=600)
    parser.add_argument("--preload", type=int, default=10_000)
    parser.add_argument("--sizes", default="1,2,4")
    parser.add_argument(
        "--roles",
        default="web,scoring,memory",
        help="which parts to run (comma-separated): web, scoring, memory",
    )
    args = parser.parse_args()
    sizes = [int(n) for n in args.sizes.split(",")]
    load_before = os.getloadavg()[0]
    psql("postgres", f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
    psql("postgres", f"CREATE DATABASE {DATABASE}")
    try:
        log("preparing the database")
        prepare(args.preload)
        load.MARKER["text"] = "bench"
        report: dict[str, Any] = {"web": [], "scoring": []}
        roles = set(args.roles.split(","))
        for n in sizes if "web" in roles else []:
            log(f"web: {n} process(es)")
            report["web"].append(web_row(n, args.duration, args.connections))
        for n in sizes if "scoring" in roles else []:
            log(f"scoring: {n} process(es)")
            report["scoring"].append(scoring_row(n, args.backlog))
        if "memory" in roles:
            log("memory of every role")
            report["memory"] = memory_row()
        report["load_average"] = [round(load_before, 1), round(os.getloadavg()[0], 1)]
        # What the processes ran on: a development environment holds more than production's
        # (schemathesis brings requests, which DRF then imports in every web process).
        report["python"] = sys.executable
        report["server"] = web_server()
    finally:
        for db in REDIS_DBS:
            run("redis-cli", "-u", f"{REDIS}/{db}", "FLUSHDB")
        psql("postgres", f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
    if args.json:
        print(json.dumps(report))
        return
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
