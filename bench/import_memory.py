"""Reading a Disqus export: peak memory and speed of the streamed reader, against
parsing the whole file into one tree.

Writes synthetic Disqus exports of growing size (threads of 25 posts, every third a
reply, messages of about 300 characters of HTML), then reads each in a fresh process:

- **streamed**: moderation.importing.disqus.read_disqus, as `import_comments` runs it
  (defusedxml's iterparse, each item cleared once read), HTML reduced to text;
- **whole tree** (baseline): xml.etree.ElementTree.parse of the same file, then a walk
  over every post (what a reader that loads the export first would hold).

Prints, per file size, each reader's peak resident memory (ru_maxrss, minus the
process's own before reading) and items read per second. The database writes are left
out: they cost the same whichever reader feeds them.

    python bench/import_memory.py --posts 20000 100000 400000
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORDS = [
    "the",
    "council",
    "voted",
    "on",
    "the",
    "new",
    "bridge",
    "after",
    "months",
    "of",
    "delays",
    "and",
    "residents",
    "said",
    "they",
    "were",
    "glad",
    "trams",
    "would",
    "run",
    "again",
    "across",
    "the",
    "river",
    "every",
    "ten",
    "minutes",
]
POSTS_PER_THREAD = 25


def write_export(path: Path, posts: int) -> None:
    threads = -(-posts // POSTS_PER_THREAD)
    with path.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="utf-8"?>\n')
        out.write(
            '<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">\n'
        )
        for t in range(threads):
            out.write(
                f'<thread dsq:id="{t}"><id>article-{t}</id><link>https://example.com/{t}</link>'
                f"<title>Article {t}</title><createdAt>2020-01-01T00:00:00Z</createdAt>"
                "<author><name>Desk</name></author></thread>\n"
            )
        for p in range(posts):
            thread = p // POSTS_PER_THREAD
            words = " ".join(WORDS[(p + i) % len(WORDS)] for i in range(50))
            parent = f'<parent dsq:id="{p - 1}"/>' if p % 3 == 2 else ""
            out.write(
                f'<post dsq:id="{p}"><message><![CDATA[<p>{words}.</p><p>{words[:80]}</p>]]>'
                "</message><createdAt>2020-01-02T10:00:00Z</createdAt><isDeleted>false</isDeleted>"
                f"<isSpam>false</isSpam><author><name>Reader {p % 997}</name>"
                f"<email>reader{p % 997}@example.org</email></author>"
                f'<thread dsq:id="{thread}"/>{parent}</post>\n'
            )
        out.write("</disqus>\n")


def _rss_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def measure(reader: str, path: str) -> dict[str, float]:
    """In this (fresh) process: read the file, return peak memory added and items/s."""
    if reader == "streamed":
        from moderation.importing.disqus import read_disqus

        def run() -> int:
            with open(path, "rb") as source:
                return sum(1 for _ in read_disqus(source))
    else:
        import xml.etree.ElementTree as ET

        from articles.article_html import html_to_paragraphs

        def run() -> int:
            tree = ET.parse(path)  # noqa: S314 - our own generated file, the baseline
            count = 0
            for element in tree.getroot():
                message = element.find("{http://disqus.com}message")
                if message is not None:
                    html_to_paragraphs(message.text or "")
                count += 1
            return count

    before = _rss_kb()
    started = time.perf_counter()
    items = run()
    seconds = time.perf_counter() - started
    return {"peak_mb": (_rss_kb() - before) / 1024, "items": items, "per_s": items / seconds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, nargs="+", default=[20000, 100000])
    parser.add_argument("--measure", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(*args.measure)))
        return
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "newsroom.settings.test"}
    print(f"{'posts':>8} {'file MB':>8} | {'reader':<10} {'peak MB':>8} {'items/s':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        for posts in args.posts:
            path = Path(tmp) / f"export-{posts}.xml"
            write_export(path, posts)
            size = path.stat().st_size / 2**20
            for reader in ("streamed", "whole tree"):
                out = subprocess.run(
                    [sys.executable, __file__, "--measure", reader, str(path)],
                    capture_output=True,
                    text=True,
                    check=True,
                    env=env,
                    cwd=ROOT,
                )
                result = json.loads(out.stdout.strip().splitlines()[-1])
                print(
                    f"{posts:>8} {size:>8.1f} | {reader:<10} {result['peak_mb']:>8.1f} "
                    f"{result['per_s']:>9.0f}"
                )
            path.unlink()


if __name__ == "__main__":
    main()
