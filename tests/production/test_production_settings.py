import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "newsroom.settings.production",
    "SECRET_KEY": "k3Jx9-production-test-secret-key-that-is-long-and-random-8fQ2zV7pL0",
    "ALLOWED_HOSTS": "news.example",
    "DATABASE_URL": "postgres://newsroom@127.0.0.1:5432/newsroom_prod_settings",
    "CACHE_URL": "redis://127.0.0.1:6379/12",
}


def _run(*args: str, code: str | None = None) -> subprocess.CompletedProcess[str]:
    # The browser tests allow async-unsafe calls in this process; a deployment never does.
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        **inherited,
        **PRODUCTION_ENV,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    command = [sys.executable, "-c", code] if code else [sys.executable, "manage.py", *args]
    return subprocess.run(  # noqa: S603 (our own interpreter and manage.py)
        command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=60, check=False
    )


def test_check_deploy_is_clean():
    result = _run("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_it_uses_secure_cookies_hsts_a_shared_cache_and_json_logs():
    code = """
import django; django.setup()
from django.conf import settings as s
print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS >= 31536000,
      s.CACHES["default"]["BACKEND"], s.LOGGING["formatters"]["default"]["()"],
      s.DATABASES["default"]["CONN_HEALTH_CHECKS"], s.CELERY_WORKER_HIJACK_ROOT_LOGGER,
      "script-src 'self'" in s.CONTENT_SECURITY_POLICY)
"""
    result = _run(code=code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "True",
        "True",
        "True",
        "newsroom.cache.ResilientRedisCache",
        "newsroom.logging.JsonFormatter",
        "True",
        "False",
        "True",
    ]
