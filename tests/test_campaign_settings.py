"""Campaign settings that cannot work stop the process at start."""

import pytest

from tests.test_settings import _import_settings


@pytest.mark.parametrize(
    "env",
    [
        {"CAMPAIGN_WINDOW_MINUTES": "0"},
        {"CAMPAIGN_MIN_AUTHORS": "1"},
        {"CAMPAIGN_MIN_SIZE": "3", "CAMPAIGN_MIN_AUTHORS": "4"},
    ],
)
def test_campaign_thresholds_that_cannot_work_stop_the_process(env):
    result = _import_settings(env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "CAMPAIGN_MIN_AUTHORS" in result.stderr
