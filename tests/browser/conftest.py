"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Skipped where no Chromium is installed; in CI (CI=true) a missing browser is a failure.
"""

import os
import shutil
import time

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"

# The live server runs in a thread beside Playwright's event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = os.path.dirname(__file__)
    for item in items:
        if str(item.fspath).startswith(here):
            item.add_marker(pytest.mark.browser)
    if os.path.exists(CHROMIUM):
        return
    if os.environ.get("CI") == "true":
        raise pytest.UsageError(f"CI needs Chromium at {CHROMIUM} for the browser tests.")
    skip = pytest.mark.skip(reason="Chromium is not installed (apt-get install chromium)")
    for item in items:
        if str(item.fspath).startswith(here):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(autouse=True)
def _answers_in_before_the_flush(request: pytest.FixtureRequest):
    """Wait, after a test, for the answers to the requests its page still has out.

    The desk redraws its filter counts after each decision; a test that ends on a
    decision would otherwise have its database flushed while the live server still
    reads it for that request (on SQLite: "database table is locked").
    """
    if "page" not in request.fixturenames:
        yield
        return
    page = request.getfixturevalue("page")
    out: set[object] = set()

    def sent(req: object) -> None:
        out.add(req)

    def answered(req: object) -> None:
        out.discard(req)

    page.on("request", sent)
    page.on("requestfinished", answered)
    page.on("requestfailed", answered)
    yield
    deadline = time.monotonic() + 10
    while out and time.monotonic() < deadline and not page.is_closed():
        page.wait_for_timeout(50)
