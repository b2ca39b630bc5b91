import pytest

from tests.browser.conftest import keep_territoires

# Committed data seen by other connections (threads, processes); the teardown empties every
# table but the reference geography.
COMMITTED = pytest.mark.django_db(transaction=True, available_apps=keep_territoires())
