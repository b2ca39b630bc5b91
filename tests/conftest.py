import os

from django.core import mail
from django.core.cache import cache

import pytest

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
