from tests.browser.conftest import browser  # noqa: F401 (Debian's Chromium, failing in CI if absent)
