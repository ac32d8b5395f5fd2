import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from newsroom.lib.ratelimit import Rate, parse_rate, rate_limited


def test_it_parses_rates():
    assert parse_rate("5/minute") == Rate(count=5, seconds=60)
    assert parse_rate("100/day") == Rate(count=100, seconds=86400)
    with pytest.raises(ImproperlyConfigured):
        parse_rate("five a minute")


def test_it_limits_each_address_separately():
    factory = RequestFactory()
    one = factory.post("/", REMOTE_ADDR="10.0.0.1")
    two = factory.post("/", REMOTE_ADDR="10.0.0.2")
    assert [rate_limited(one, scope="t", rate="2/hour") for _ in range(3)] == [False, False, True]
    assert rate_limited(two, scope="t", rate="2/hour") is False
    assert rate_limited(one, scope="other", rate="2/hour") is False
