"""Playwright driving Debian's Chromium against a live server (never a downloaded browser)."""

import os
import re
from pathlib import Path

from django.conf import settings
from django.core.servers.basehttp import WSGIServer
from django.test.testcases import LiveServerThread

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect, sync_playwright

from tests.conftest import IN_CI
from tests.factories import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

# Playwright's sync API runs an event loop in this thread; the tests still query the database.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


# On SQLite the live server's threads share the test's one in-memory connection: two requests at
# once (a page and its icon sprite) then trip over each other's savepoints. One request at a time.
class SerialWSGIServer(WSGIServer):
    def __init__(self, *args, connections_override=None, **kwargs):
        # Serving in the live server's own thread, which already uses the shared connection.
        super().__init__(*args, **kwargs)


if "sqlite" in settings.DATABASES["default"]["ENGINE"]:
    LiveServerThread.server_class = SerialWSGIServer


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} absent : installez le paquet Debian « chromium »."
        if IN_CI:
            pytest.fail(message)
        pytest.skip(f"TESTS NAVIGATEUR IGNORÉS — {message}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    page = context.new_page()
    yield page
    # Let the live server answer every request before the database is flushed under it.
    page.wait_for_load_state("networkidle")
    context.close()


def keep_territoires():
    """Every installed app but the reference geography: a transactional test's teardown then
    empties the other tables and leaves the 35,000 communes in place."""
    from django.conf import settings

    return [app for app in settings.INSTALLED_APPS if app != "territoires"]


def log_in_to_admin(page, user):
    """Logs `user` (made by UserFactory) in through the Wagtail admin's login form."""
    page.goto("/admin/login/")
    page.get_by_label(re.compile("Adresse e-mail")).fill(user.email)
    page.locator("#id_password").fill(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def assert_accessible(page):
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
