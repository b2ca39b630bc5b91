import os
import subprocess
import sys
import uuid
from types import SimpleNamespace

from django.apps import apps
from django.core import mail
from django.core.cache import cache
from django.core.files.storage import storages
from django.db import connection

import boto3
import pytest

from config.env import env
from config.storage import s3_storages
from ops.servers import free_port, wait_listening
from prescription.models import private_storage
from search import lexique, vocabulary
from territoires import services as territoires_services
from territoires.loading import load_territoires

IN_CI = os.environ.get("CI") == "true"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database holds the whole reference geography (loaded once per session), and
    the in-memory indexes are built from it before any transactional test can empty it."""
    with django_db_blocker.unblock():
        load_territoires()
        territoires_services.clear_caches()
        territoires_services.preload()


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Browser tests run against a live server in transactional tests, whose teardown empties
    the database: they run last, after pytest-randomly shuffled the order (a stable sort keeps
    the shuffle within each group) and pytest-django grouped its tests."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


def pytest_terminal_summary(terminalreporter, config):
    """The random order's seed, last, even with -q: a failure that depends on the order is
    replayed with it."""
    if seed := getattr(config.option, "randomly_seed", None):
        terminalreporter.write_line(f"Ordre aléatoire : rejouer avec --randomly-seed={seed}")


@pytest.fixture(autouse=True)
def _mail_settings(settings):
    settings.WAGTAILADMIN_BASE_URL = "http://testserver"


@pytest.fixture
def mails(django_capture_on_commit_callbacks):
    """E-mails leave once the transaction commits: `with mails(execute=True): …` sends them."""
    return django_capture_on_commit_callbacks


@pytest.fixture
def smtp_server():
    """A real SMTP server (tests/smtp.py) on a free port, stopped after the test."""
    from tests.smtp import SmtpServer

    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def database_tasks(settings):
    """Our tasks stored by the database backend (django-tasks-db), as in production, instead
    of run in the request."""
    settings.TASKS = settings.TASKS | {
        "worker": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "mail"]}
    }


@pytest.fixture
def worker(settings, database_tasks, smtp_server, monkeypatch):
    """E-mails as in production: stored tasks sent to `smtp_server` by `manage.py worker`;
    `worker()` runs one pass of it. The worker's recycling of connections is left out: inside
    the test's transaction it would close the connection (PostgreSQL)."""
    from django.core.management import call_command

    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    settings.MAILERS = {"default": smtp_server.mailer()}
    return lambda: call_command("worker", "--once")


@pytest.fixture(autouse=True)
def _plain_text_emails_are_not_html_escaped():
    """After every test, every e-mail it captured: its plain text shows « l'emploi », never
    « l&#x27;emploi » (issue 17, item 11)."""
    yield
    for message in getattr(mail, "outbox", []):
        assert "&#" not in message.body, f"« {message.subject} » : {message.body[:300]}"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Counters kept in the cache (rate limits, links resent) start from zero in each test, and
    the search lexicon and corpus statistics are read from this test's database (a rolled-back
    edit leaves no trace)."""
    cache.clear()
    lexique.clear()
    vocabulary.forget()


@pytest.fixture
def elasticsearch(settings):
    """A real, empty Elasticsearch index behind the test alias; search runs on it. Without a
    reachable server the test fails in CI and is skipped, loudly, elsewhere."""
    from search.backends import elasticsearch as backend
    from search.services import ELASTICSEARCH_FAILURES

    settings.SEARCH_BACKEND = backend.NAME
    try:
        backend.client().cluster.health(wait_for_status="yellow", timeout="10s")
    except ELASTICSEARCH_FAILURES as error:
        message = f"Elasticsearch injoignable sur {settings.ELASTICSEARCH_URL} ({error})"
        if IN_CI:
            pytest.fail(f"{message} : `make es-start`.")
        pytest.skip(f"TESTS ELASTICSEARCH IGNORÉS — {message}. Lancez `make es-start`.")
    backend.drop_all()
    backend.ensure_index()
    yield backend
    backend.drop_all()


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    """A real S3-compatible server (moto in server mode) on a free port, for the session: its
    endpoint URL."""
    port = free_port()
    log = tmp_path_factory.mktemp("s3") / "moto.log"
    with log.open("w") as output:
        command = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)]
        server = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)  # noqa: S603
    try:
        wait_listening(port, server)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture
def object_storage(s3_server, settings, monkeypatch):
    """Media and personal files on a new private bucket of `s3_server`, configured as
    production reads it (config/storage.py); yields a boto3 client and the bucket's name."""
    bucket = f"portail-{uuid.uuid4().hex[:12]}"
    for name, value in {
        "S3_BUCKET": bucket, "S3_ENDPOINT_URL": s3_server, "S3_REGION": "us-east-1",
        "S3_ACCESS_KEY_ID": "portail", "S3_SECRET_ACCESS_KEY": "secret-de-test",
    }.items():  # fmt: skip
        monkeypatch.setenv(name, value)
    s3 = boto3.client(
        "s3", endpoint_url=s3_server, region_name="us-east-1",
        aws_access_key_id="portail", aws_secret_access_key="secret-de-test",
    )  # fmt: skip
    s3.create_bucket(Bucket=bucket)
    settings.STORAGES = settings.STORAGES | s3_storages(env)
    # File fields read their storage once, at import: point the personal ones at the bucket.
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if getattr(field, "_storage_callable", None) is private_storage:
                monkeypatch.setattr(field, "storage", storages["private"])
    return SimpleNamespace(client=s3, bucket=bucket, endpoint=s3_server)


@pytest.fixture
def postgresql():
    """The test database's connection, when it is PostgreSQL (the test fails in CI otherwise,
    and is skipped, loudly, elsewhere)."""
    if connection.vendor != "postgresql":
        message = "ce test demande PostgreSQL (DATABASE_URL=postgres://…)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(f"TEST POSTGRESQL IGNORÉ — {message}.")
    return connection
