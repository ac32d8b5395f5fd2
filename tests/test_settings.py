import os
import subprocess
import sys

import pytest


def _import_production(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "CACHE_URL"}
    }
    return subprocess.run(
        [sys.executable, "-c", "import newsroom.settings.production"],
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "CACHE_URL"])
def test_production_refuses_to_start_without(missing):
    env = {
        "SECRET_KEY": "s" * 50,
        "ALLOWED_HOSTS": "news.example",
        "DATABASE_URL": "postgres://db/x",
        "CACHE_URL": "redis://cache:6379/1",
    }
    del env[missing]
    result = _import_production(env)
    assert result.returncode != 0
    assert missing in result.stderr


def test_production_starts_with_all_four():
    env = {
        "SECRET_KEY": "s" * 50,
        "ALLOWED_HOSTS": "news.example",
        "DATABASE_URL": "postgres://db/x",
        "CACHE_URL": "redis://cache:6379/1",
    }
    assert _import_production(env).returncode == 0
