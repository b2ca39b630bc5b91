"""/healthz, the JSON logs with the request's id, and Sentry without personal data."""

import datetime
import gzip
import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from django.db import OperationalError, connection
from django.utils import timezone

import pytest

from ops.loop import beat
from ops.models import Heartbeat
from search.backends import elasticsearch as search_engine
from tests.smtp import free_port

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
PERSONAL = ["Durand", "ines.durand", "motif très personnel", "session-secrete", "nom="]


def test_healthz_says_ok_when_every_part_works(client, database_tasks):
    beat("worker")
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {
        "database": "ok", "elasticsearch": "non utilisé", "cache": "ok", "worker": "ok",
    }}  # fmt: skip
    assert response["Cache-Control"].startswith("max-age=0")


def test_healthz_without_a_worker_when_tasks_run_in_the_request(client):
    assert client.get("/healthz").json()["checks"]["worker"] == "non utilisé"


def test_healthz_names_a_silent_worker(client, settings, database_tasks):
    Heartbeat.objects.create(
        process="worker",
        beat_at=timezone.now() - datetime.timedelta(seconds=settings.WORKER_HEARTBEAT_MAX_AGE + 1),
    )
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "erreur"
    assert response.json()["checks"]["worker"] == "erreur"
    assert response.json()["checks"]["database"] == "ok"


@pytest.fixture
def unreachable_elasticsearch(settings):
    settings.SEARCH_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{free_port()}"
    search_engine.client.cache_clear()  # the client is made once per URL
    yield
    search_engine.client.cache_clear()


def test_healthz_names_an_unreachable_elasticsearch(client, unreachable_elasticsearch):
    beat("worker")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["elasticsearch"] == "erreur (ConnectionError)"


def test_healthz_with_a_working_elasticsearch(client, elasticsearch):
    beat("worker")
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["checks"]["elasticsearch"] == "ok"


def test_healthz_names_a_failing_database_without_its_message(client, monkeypatch):
    def refused(*args, **kwargs):
        raise OperationalError('connection to server failed: password for "portail" rejected')

    monkeypatch.setattr(connection, "cursor", refused)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "erreur (OperationalError)"
    assert "portail" not in response.content.decode()


def test_healthz_answers_the_probe_over_plain_http(client, settings):
    beat("worker")
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/recherche/").status_code == 301


def test_each_response_carries_a_request_id_kept_from_the_proxy(client):
    given = client.get("/healthz", HTTP_X_REQUEST_ID="abc-123")
    assert given["X-Request-ID"] == "abc-123"
    made = client.get("/healthz", HTTP_X_REQUEST_ID="<script>")
    assert len(made["X-Request-ID"]) == 32 and made["X-Request-ID"] != "<script>"


def _python(code, **env):
    """Runs `code` under the test settings, on a database of its own (SQLite, empty: the
    request opens its transaction there)."""
    environment = os.environ | {
        "DJANGO_SETTINGS_MODULE": "config.settings.test", "DATABASE_URL": "sqlite://:memory:",
    } | env  # fmt: skip
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environment,  # noqa: S603
                          capture_output=True, text=True, check=True, timeout=120)  # fmt: skip


def test_logs_are_json_lines_with_time_level_and_request_id():
    result = _python(
        "import logging, django; django.setup(); from ops.logs import request_id; "
        "request_id.set('req-7'); logging.getLogger('portail').warning('Serveur %s lent', 'SMTP')",
        LOG_FORMAT="json",
    )
    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert line["level"] == "WARNING" and line["logger"] == "portail"
    assert line["message"] == "Serveur SMTP lent" and line["request_id"] == "req-7"
    assert datetime.datetime.strptime(line["time"], "%Y-%m-%dT%H:%M:%S%z")


class _Collector(BaseHTTPRequestHandler):
    bodies = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        self.bodies.append(body.decode())
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_sentry_receives_the_failures_without_personal_data():
    """A real Sentry client, sending over HTTP to a collector on this machine."""
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), _Collector)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        dsn = f"http://cle@127.0.0.1:{server.server_address[1]}/1"
        _python(Path(ROOT / "tests/ops/sentry_run.py").read_text(), SENTRY_DSN=dsn)
    finally:
        server.shutdown()
        server.server_close()
    sent = "\n".join(_Collector.bodies)
    assert "ValueError" in sent and "faulty" in sent  # the failure, where it happened
    assert "Refus pour %s" in sent  # the log line's format
    assert '"id": 7' in sent or '"id":7' in sent
    for data in PERSONAL:
        assert data not in sent, data
