import os

from django.db import connection

import pytest

from tests.browser.conftest import keep_territoires

# Committed data seen by other connections (threads, processes); the teardown empties every
# table but the reference geography.
COMMITTED = pytest.mark.django_db(transaction=True, available_apps=keep_territoires())


@pytest.fixture
def postgresql():
    """The test database's connection, when it is PostgreSQL (the test fails in CI otherwise,
    and is skipped, loudly, elsewhere)."""
    if connection.vendor != "postgresql":
        message = "ce test demande PostgreSQL (DATABASE_URL=postgres://…)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(f"TEST POSTGRESQL IGNORÉ — {message}.")
    return connection
