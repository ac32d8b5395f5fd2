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


def _import_settings(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "import newsroom.settings.test"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"SPAM_HOLD": "0.95"}, "SPAM_HOLD"),
        ({"SPAM_REJECT": "0.4"}, "SPAM_REJECT"),
        ({"SPAM_REJECT": "1.5"}, "SPAM_REJECT"),
        ({"SPOILER_FLAG": "-0.1"}, "SPOILER_FLAG"),
        ({"THROTTLE_COMMENT_SUBMIT": "10/fortnight"}, "THROTTLE_COMMENT_SUBMIT"),
        ({"THROTTLE_PUBLIC_WRITE": "twenty/minute"}, "THROTTLE_PUBLIC_WRITE"),
        ({"THROTTLE_PUBLIC_READ": "300"}, "THROTTLE_PUBLIC_READ"),
        ({"COMMENT_RATE_LIMIT": "5/min"}, "COMMENT_RATE_LIMIT"),
        ({"CORRECTION_RATE_LIMIT": "5 per minute"}, "CORRECTION_RATE_LIMIT"),
        ({"REPORT_RATE_LIMIT": "/hour"}, "REPORT_RATE_LIMIT"),
    ],
)
def test_settings_that_cannot_work_stop_the_process_at_start(env, named):
    result = _import_settings(env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and named in result.stderr


def test_settings_start_with_thresholds_and_rates_that_work():
    env = {
        "SPAM_REJECT": "0.8",
        "SPAM_HOLD": "0.8",
        "SPOILER_FLAG": "1",
        "THROTTLE_PUBLIC_READ": "100/second",
        "REPORT_RATE_LIMIT": "1000/day",
    }
    assert _import_settings(env).returncode == 0


def test_the_comment_length_limits_are_not_settings_nothing_reads(settings):
    # The limits are the model's (moderation.models); a setting would only mislead.
    assert not hasattr(settings, "COMMENT_BODY_MAX_LENGTH")
    assert not hasattr(settings, "COMMENT_NAME_MAX_LENGTH")


def test_production_mail_links_go_to_the_public_site_not_the_development_default():
    env = {
        "SECRET_KEY": "s" * 50,
        "ALLOWED_HOSTS": "comments.news.example,www.news.example",
        "DATABASE_URL": "postgres://db/x",
        "CACHE_URL": "redis://cache:6379/1",
    }
    clean = {k: v for k, v in os.environ.items() if k != "PUBLIC_BASE_URL"}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import newsroom.settings.production as s; print(s.PUBLIC_BASE_URL)",
        ],
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stdout.strip() == "https://comments.news.example"
