"""Behind a reverse proxy: the client's address (config.network) keys the search API's limit
and the login lockout, and both hold across processes through the shared cache and database."""

import os
import re
import subprocess
import sys
import time
from pathlib import Path

from django.test import RequestFactory

import pytest
import requests

from config.network import client_address
from ops.servers import free_port, wait_listening

ROOT = Path(__file__).resolve().parent.parent
VICTIM, PASSWORD = "victime@example.org", "mot-de-passe-de-la-victime"
ATTACKER, VICTIM_HOME = "203.0.113.7", "198.51.100.20"


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "expected"),
    [
        (0, None, "10.0.0.1"),
        (0, "203.0.113.7", "10.0.0.1"),  # no proxy trusted: the header is the client's own
        (1, None, "10.0.0.1"),  # not through the proxy
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "198.51.100.20, 203.0.113.7", "203.0.113.7"),  # a forged first entry is ignored
        (2, "203.0.113.7, 192.0.2.5", "203.0.113.7"),  # a CDN, then the proxy
        (2, "198.51.100.20, 203.0.113.7, 192.0.2.5", "203.0.113.7"),
        (2, "192.0.2.5", "10.0.0.1"),  # fewer entries than proxies: the nearest proxy's
        (1, "2001:db8::7", "2001:db8::7"),
    ],
)
def test_the_client_address_is_read_behind_the_trusted_proxies(
    settings, proxies, forwarded_for, expected
):
    settings.TRUSTED_PROXY_COUNT = proxies
    headers = {"HTTP_X_FORWARDED_FOR": forwarded_for} if forwarded_for else {}
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_REAL_IP="1.2.3.4", **headers)

    assert client_address(request) == expected


def _settings_env(database):
    """Two portal processes behind one proxy, sharing a database and its cache table."""
    return os.environ | {
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"sqlite:///{database}",
        "CACHE_URL": "dbcache://portail_cache",
        "TRUSTED_PROXY_COUNT": "1",
        "SEARCH_API_RATE_LIMIT": "3",
    }


def _manage(env, *arguments):
    subprocess.run([sys.executable, "manage.py", *arguments], cwd=ROOT, env=env, check=True)  # noqa: S603


@pytest.fixture(scope="module")
def two_workers(tmp_path_factory):
    """Two gunicorn servers (one worker each, so that every other request is served by the
    other process) on one SQLite database holding the victim's account; their base URLs."""
    env = _settings_env(tmp_path_factory.mktemp("proxy") / "portail.sqlite3")
    _manage(env, "migrate", "--verbosity", "0")
    create = (
        "from accounts.models import User; "
        f"User.objects.create_user(email={VICTIM!r}, password={PASSWORD!r})"
    )
    _manage(env, "shell", "--command", create)
    ports = [free_port(), free_port()]
    servers = [
        subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi",
                "--workers",
                "1",
                "--bind",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )  # fmt: skip
        for port in ports
    ]
    try:
        for port, server in zip(ports, servers, strict=True):
            wait_listening(port, server)
        yield [f"http://127.0.0.1:{port}" for port in ports]
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)


def _same_minute():
    """The limit's window is the minute: start far enough from its end."""
    if time.time() % 60 > 45:
        time.sleep(61 - time.time() % 60)


def _search(url, client):
    response = requests.get(
        f"{url}/api/v1/search/services", headers={"X-Forwarded-For": client}, timeout=30
    )
    return response.status_code


def test_the_search_limit_is_per_client_across_workers(two_workers):
    first, second = two_workers
    _same_minute()
    client_a = [_search(url, ATTACKER) for url in (first, second, first, second)]
    forged = _search(first, f"{VICTIM_HOME}, {ATTACKER}")

    assert [status == 429 for status in client_a] == [False, False, False, True]
    assert forged == 429  # a forged first entry does not make a new client
    assert _search(second, VICTIM_HOME) != 429


def _log_in(url, client, password):
    with requests.Session() as browser:
        page = browser.get(f"{url}/comptes/connexion/", timeout=30)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]
        response = browser.post(
            f"{url}/comptes/connexion/",
            data={"username": VICTIM, "password": password, "csrfmiddlewaretoken": token},
            headers={"X-Forwarded-For": client},
            allow_redirects=False,
            timeout=30,
        )
        return response.status_code


def test_a_stranger_locks_out_only_himself_across_workers(two_workers):
    first, second = two_workers
    failures = [_log_in(url, ATTACKER, "mauvais") for url in (first, second) * 2 + (first,)]

    assert failures == [200, 200, 200, 200, 429]
    assert _log_in(second, ATTACKER, PASSWORD) == 429  # locked in the other process too
    assert _log_in(first, f"{VICTIM_HOME}, {ATTACKER}", PASSWORD) == 429
    assert _log_in(second, VICTIM_HOME, PASSWORD) == 302  # the account still logs in
