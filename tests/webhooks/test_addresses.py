import pytest
from django.test import override_settings

from articles.webhooks.addresses import UnsafeUrl, check_url, resolve_target

pytestmark = pytest.mark.usefixtures("settings")


@override_settings(WEBHOOKS_ALLOW_LOCAL=False)
@pytest.mark.parametrize(
    "url",
    [
        "http://hooks.example.com/in",
        "ftp://hooks.example.com/in",
        "https://user:pw@hooks.example.com/in",
        "https:///nohost",
    ],
)
def test_it_refuses_anything_but_plain_https(url: str) -> None:
    with pytest.raises(UnsafeUrl):
        check_url(url)


@override_settings(WEBHOOKS_ALLOW_LOCAL=False)
@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",
        "https://localhost/hook",
        "https://10.1.2.3/hook",
        "https://192.168.0.10/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/hook",
        "https://[::ffff:127.0.0.1]/hook",
    ],
)
def test_it_refuses_hosts_that_resolve_to_private_or_local_addresses(url: str) -> None:
    with pytest.raises(UnsafeUrl, match="private or local"):
        resolve_target(url)


@override_settings(WEBHOOKS_ALLOW_LOCAL=False)
def test_it_accepts_a_public_address() -> None:
    target = resolve_target("https://93.184.215.14:8443/in?x=1")
    assert (target.host, target.port, target.path) == ("93.184.215.14", 8443, "/in?x=1")
    assert target.addresses == ("93.184.215.14",)


@override_settings(WEBHOOKS_ALLOW_LOCAL=True)
def test_development_allows_http_and_local_hosts() -> None:
    assert resolve_target("http://127.0.0.1:8501/hook").addresses == ("127.0.0.1",)
