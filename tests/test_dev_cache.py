"""`make run`'s processes share one cache: what a worker writes, the web process reads."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _in_a_process(code: str, cache_dir: Path) -> str:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings.dev",
        "FILE_CACHE_DIR": str(cache_dir),
    }
    env.pop("CACHE_URL", None)
    done = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", "import django; django.setup()\n" + code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout.strip()


def test_a_value_one_process_caches_is_seen_by_another(tmp_path):
    written = _in_a_process(
        "from moderation.comment_list_cache import _bump, version_key\n"
        "from django.core.cache import cache\n"
        "_bump(7); print(cache.get(version_key(7)))",
        tmp_path,
    )
    seen = _in_a_process(
        "from moderation.comment_list_cache import version_key\n"
        "from django.core.cache import cache\n"
        "print(cache.get(version_key(7)))",
        tmp_path,
    )
    assert len(written) == 16
    assert seen == written
