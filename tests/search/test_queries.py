"""The SQL queries of a search (API or page, anonymous or professional, on either backend) do
not grow with the number of services it finds: no query per result."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from search import sync
from tests.factories import ServiceFactory, UserFactory

pytestmark = pytest.mark.django_db

PATHS = ["/api/v1/search/services", "/recherche/"]
AROUND_MARSEILLE = {"code_commune": "13055", "q": "permis"}


def _queries(client, path, refresh):
    refresh()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, AROUND_MARSEILLE)
    assert response.status_code == 200
    return len(captured), response


@pytest.fixture(params=["database", "elasticsearch"])
def refresh(request, settings):
    if request.param == "database":
        settings.SEARCH_BACKEND = "database"
        return lambda: None
    backend = request.getfixturevalue("elasticsearch")

    def sync_and_refresh():
        sync.sync_pending()
        backend.refresh()

    return sync_and_refresh


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("professional", [False, True], ids=["anonyme", "professionnel"])
def test_queries_do_not_grow_with_the_results(client, refresh, path, professional):
    if professional:
        client.force_login(UserFactory())
    ServiceFactory()
    # Warm what a process keeps in memory: communes after their first lookup
    # (`territoires.services.get_commune`), the lexicon and the corpus statistics (a minute).
    _queries(client, path, refresh)
    with_one, response = _queries(client, path, refresh)
    ServiceFactory.create_batch(19)
    with_twenty, response = _queries(client, path, refresh)

    assert response.content.decode().count("Aide au permis de conduire") >= 20
    assert with_twenty == with_one, f"{with_one} requêtes pour 1 service, {with_twenty} pour 20"
