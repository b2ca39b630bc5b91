"""Web security, checked: the deploy checklist, the headers, the CSP nonce, CSRF on forms."""

import datetime
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

from django.test import Client
from django.utils import timezone

import pytest
import time_machine

from tests.factories import PASSWORD, ServiceFactory, UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


def test_the_deploy_checklist_passes_with_production_settings():
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),  # noqa: S108
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "portail.example.org",
        # Elasticsearch's state has a check of its own (tests/search/test_elasticsearch_settings.py).
        "SEARCH_BACKEND": "database",
        "DATABASE_URL": "postgres://portail:secret@db.example.org:5432/portail",
        "EMAIL_URL": "smtp+tls://postmaster:secret@smtp.example.org:587",
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_pages_carry_the_security_headers_and_a_fresh_script_nonce(client):
    service = ServiceFactory()
    first = client.get(service.get_absolute_url())
    second = client.get(service.get_absolute_url())

    policy = first["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    nonce = re.search(r"'nonce-([^']+)'", directives["script-src"]).group(1)
    assert directives["script-src"] == f"'self' 'nonce-{nonce}'"
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'self'"
    scripts = re.findall(r"<script[^>]*>", first.content.decode())
    assert scripts and all(f'nonce="{nonce}"' in tag for tag in scripts)
    assert nonce not in second["Content-Security-Policy"]
    assert first["X-Content-Type-Options"] == "nosniff"
    assert first["Referrer-Policy"] == "same-origin"
    assert first["X-Frame-Options"] == "SAMEORIGIN"


def test_production_redirects_to_https_and_sends_hsts(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31_536_000

    assert client.get("/recherche/").status_code == 301
    response = client.get("/recherche/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


@pytest.mark.parametrize(
    "url",
    [
        "/comptes/connexion/",
        "/services/{service}/orienter/",
        "/actualisation/campagnes/nouvelle/",
        "/parcours/personnes/nouvelle/",
    ],
)
def test_forms_refuse_a_post_without_csrf_token(url):
    service = ServiceFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory())

    response = client.post(url.format(service=service.pk), {"nom": "x"})

    assert response.status_code == 403


def _log_in(client, email, password):
    return client.post("/comptes/connexion/", {"username": email, "password": password})


def test_five_failed_logins_lock_that_email_out_for_15_minutes(client):
    user, other = UserFactory(), UserFactory()
    statuses = [_log_in(client, user.email, "mauvais-mot-de-passe").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]  # the fifth failure locks

    locked = _log_in(client, user.email, PASSWORD)

    assert locked.status_code == 429
    assert "Connexion bloquée pour 15 minutes" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    assert _log_in(Client(), other.email, PASSWORD).status_code == 302  # others unaffected
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=16)):
        assert _log_in(client, user.email, PASSWORD).status_code == 302


def test_the_public_search_api_is_rate_limited_per_address(client, settings):
    settings.SEARCH_API_RATE_LIMIT = 3
    url = "/api/v1/search/services"
    statuses = [client.get(url, {"code_commune": "13005"}).status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    refused = client.get(url)
    assert "Plus de 3 requêtes par minute" in refused.json()["errors"]["__all__"][0]
    assert 0 < int(refused["Retry-After"]) <= 60
    assert client.get(url, REMOTE_ADDR="10.0.0.2").status_code == 200
