"""Helpers shared by the desk's browser tests."""

import os
from pathlib import Path

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def log_in(page, base_url: str, username: str, password: str) -> None:
    page.goto(base_url + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_url(base_url + "/admin/")


def screenshot(page, name: str) -> None:
    """Refresh docs/screenshots/<name>.png when DESK_SCREENSHOTS=1 (never in a plain run)."""
    if os.environ.get("DESK_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.set_viewport_size({"width": 1500, "height": 900})
        sidebar = page.locator("#nav-sidebar")
        if sidebar.count() and sidebar.get_attribute("aria-expanded") == "true":
            page.click("#toggle-nav-sidebar")  # the queue's columns need the width
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
