"""Sessions end when idle (30 minutes by default) and at their absolute lifetime; every answer
to a logged-in person, and every page reached by a signed link, is `no-store, private`."""

from datetime import timedelta

from django.utils import timezone

import pytest
import time_machine

from tests import test_permission_matrix as matrix
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
world = matrix.world  # the permission matrix's world, as a fixture here too
PRIVATE_TO_ANONYMOUS = ("prescriptions/reponse/", "invitation/", "comptes/adresse/confirmer/")


def _logged_in(client):
    return client.get("/prescriptions/").status_code == 200


def test_an_idle_session_ends_after_30_minutes(client):
    client.force_login(UserFactory())
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        assert _logged_in(client)
        clock.move_to(start + timedelta(minutes=29))
        assert _logged_in(client)  # active: the idle clock starts again
        clock.move_to(start + timedelta(minutes=29 + 31))
        response = client.get("/prescriptions/")

    assert response.status_code == 302 and response["Location"].startswith("/comptes/connexion/")
    assert "_auth_user_id" not in client.session


def test_the_idle_timeout_is_configurable(client, settings):
    settings.SESSION_IDLE_TIMEOUT = 5 * 60
    client.force_login(UserFactory())
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        assert _logged_in(client)
        clock.move_to(start + timedelta(minutes=6))
        assert not _logged_in(client)


def test_an_active_session_ends_at_its_absolute_lifetime(client, settings):
    client.force_login(UserFactory())
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        for minutes in range(0, 12 * 60, 20):  # active every 20 minutes, for 12 hours
            clock.move_to(start + timedelta(minutes=minutes))
            assert _logged_in(client), minutes
        clock.move_to(start + timedelta(hours=12, minutes=5))
        assert not _logged_in(client)
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_ABSOLUTE_LIFETIME


@pytest.mark.parametrize("role", matrix.ROLES)
def test_every_page_with_personal_data_is_no_store(client, world, role):
    """The URL walk of the permission matrix, as each role."""
    if role != "anonyme":
        client.force_login(world["users"][role])
    cacheable = []
    for route, (url, _) in matrix.MATRIX.items():
        response = client.get(url.format(**world))
        private = role != "anonyme" or route.startswith(PRIVATE_TO_ANONYMOUS)
        directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
        if private and not {"no-store", "private"} <= directives:
            cacheable.append(f"{url} ({response.status_code}) : {response.get('Cache-Control')}")
    assert not cacheable, cacheable


def test_logging_in_again_starts_the_clocks_again(client):
    user = UserFactory()
    client.force_login(user)
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        assert _logged_in(client)
        clock.move_to(start + timedelta(hours=13))
        client.force_login(user)  # the same person: Django keeps the session's data
        assert _logged_in(client)
