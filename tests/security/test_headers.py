import pytest


@pytest.mark.django_db
def test_pages_carry_a_content_security_policy_that_forbids_inline_script(client, article):
    response = client.get(f"/articles/{article.slug}/")
    policy = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy


@pytest.mark.django_db
def test_the_admin_carries_it_too(client):
    assert "Content-Security-Policy" in client.get("/admin/login/")


def test_json_responses_do_not_need_it(client):
    response = client.get("/healthz")
    assert "Content-Security-Policy" not in response


@pytest.mark.django_db
def test_pages_refuse_framing_and_sniffing(client, article):
    response = client.get(f"/articles/{article.slug}/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
