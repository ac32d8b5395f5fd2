"""No page or API endpoint shows a commenter's email or any stored IP address."""

import pytest

from tests.security.conftest import LEAKS, REPORT_IP, REQUEST_IP, SECRET_IP, project_routes


def _leaks_in(client, routes, secrets=LEAKS) -> list[tuple[str, int, str]]:
    found = []
    for route in routes:
        response = client.get(route.path)
        text = response.content.decode(errors="replace")
        found += [(route.path, response.status_code, s) for s in secrets if s in text]
    return found


@pytest.mark.django_db
def test_no_route_shows_an_email_or_ip_to_a_reader(client, route_values):
    routes = project_routes(route_values)
    assert any(r.name == "detail" for r in routes)
    assert _leaks_in(client, routes) == []


@pytest.mark.django_db
def test_no_route_shows_an_email_or_ip_to_a_signed_in_stranger(client, stranger, route_values):
    client.force_login(stranger)
    assert _leaks_in(client, project_routes(route_values)) == []


@pytest.mark.django_db
def test_no_api_endpoint_shows_an_ip_address_even_to_a_moderator(client, moderator, route_values):
    # The desk may show a commenter's email to staff (to judge their history); an IP
    # address is for abuse handling and retention only, and no endpoint returns it.
    client.force_login(moderator)
    api = [r for r in project_routes(route_values) if r.is_api]
    assert _leaks_in(client, api, secrets=(SECRET_IP, REQUEST_IP, REPORT_IP)) == []
