"""Run by tests/ops/test_observability.py in its own process (Sentry patches Django for good):
a request that fails and a log line, both with personal data, under SENTRY_DSN."""

import logging

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client, override_settings  # noqa: E402

import sentry_sdk  # noqa: E402

# The session middleware reads the session the cookie names (its idle timeout): its table.
call_command("migrate", "sessions", verbosity=0)
with override_settings(ROOT_URLCONF="tests.ops.faulty_urls"):
    sentry_sdk.set_user({"id": 7, "email": "ines.durand@example.org", "username": "Durand"})
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "session-secrete"
    response = client.post(
        "/faulty/?nom=Durand",
        {"nom": "Durand", "courriel": "ines.durand@example.org", "motif": "motif très personnel"},
        HTTP_X_REQUEST_ID="req-42",
    )
    assert response.status_code == 500
    logging.getLogger("portail").error("Refus pour %s", "ines.durand@example.org")
sentry_sdk.flush(timeout=10)
