"""Script and HTML payloads in reader fields never run in a real browser: not on the
article page (spoilers opened), not in the admin."""

import pytest
from django.contrib.auth.models import User

from moderation.models import Comment

PAYLOADS = [
    "<script>window.__xss=1</script>",
    '<img src=x onerror="window.__xss=2">',
    '"><svg onload="window.__xss=3">',
    '<iframe src="javascript:parent.__xss=4"></iframe>',
]


@pytest.fixture
def hostile_comments(article, make_comment) -> list[Comment]:
    comments = []
    for index, payload in enumerate(PAYLOADS):
        comments.append(
            make_comment(
                body=f"Payload {index}: {payload}",
                author_name=payload[:80],
                status=Comment.Status.APPROVED,
                is_spoiler=index % 2 == 1,
            )
        )
    return comments


def _assert_nothing_ran(page) -> None:
    assert page.evaluate("() => window.__xss === undefined"), page.evaluate("window.__xss")


@pytest.mark.django_db(transaction=True)
def test_payloads_on_the_article_page_stay_text(live_server, page, article, hostile_comments):
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{live_server.url}/articles/{article.slug}/")
    for summary in page.locator("details summary").all():
        summary.click()
    page.wait_for_timeout(300)
    _assert_nothing_ran(page)
    assert dialogs == []
    # Shown as text (the Content-Security-Policy would stop the script anyway; this checks
    # the escaping on its own).
    text = page.locator("body").inner_text()
    assert all(f"Payload {i}: {payload}" in text for i, payload in enumerate(PAYLOADS))


@pytest.mark.django_db(transaction=True)
def test_payloads_in_the_admin_stay_text(live_server, page, hostile_comments):
    User.objects.create_superuser("chief", password="pw-chief-long-enough")
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "chief")
    page.fill("#id_password", "pw-chief-long-enough")
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/moderation/comment/")
    _assert_nothing_ran(page)
    page.goto(f"{live_server.url}/admin/moderation/comment/{hostile_comments[1].pk}/change/")
    page.wait_for_timeout(300)
    _assert_nothing_ran(page)
    assert "onerror" in page.locator("body").inner_text()
