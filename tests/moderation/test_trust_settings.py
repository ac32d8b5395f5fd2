"""The trust settings are checked at start like the thresholds."""

import pytest

from moderation.policy import PolicyError, TrustPolicy, trust_policy
from tests.test_settings import _import_settings


@pytest.mark.parametrize(
    "env",
    [{"TRUST_MIN_APPROVED": "0"}, {"TRUST_LOOKBACK": "-3"}, {"DISTRUST_LAST_REJECTED": "5000"}],
)
def test_trust_settings_that_cannot_work_stop_the_process_at_start(env):
    result = _import_settings(env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and next(iter(env)) in result.stderr


def test_the_trust_policy_reads_the_settings(settings):
    settings.TRUST_MIN_APPROVED = 34
    settings.TRUST_LOOKBACK = 7
    settings.DISTRUST_LAST_REJECTED = 9
    assert trust_policy() == TrustPolicy(min_approved=34, lookback=7, distrust_last=9)
    assert trust_policy().depth == 9


def test_a_trust_policy_of_fractions_is_refused():
    with pytest.raises(PolicyError, match="min_approved must be a whole number"):
        TrustPolicy(min_approved=2.5, lookback=3, distrust_last=3)  # type: ignore[arg-type]
