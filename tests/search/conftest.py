import pytest

from search import sync


@pytest.fixture
def database_backend(settings):
    settings.SEARCH_BACKEND = "database"


@pytest.fixture(params=["database", "elasticsearch"])
def search_api(request, client):
    """Calls GET /api/v1/search/services on one backend, after the outbox reached Elasticsearch;
    asserts the answer came from that backend (no silent fallback)."""
    backend = request.param
    request.getfixturevalue("database_backend" if backend == "database" else "elasticsearch")

    def call(**params):
        if backend == "elasticsearch":
            sync.sync_pending()
            request.getfixturevalue("elasticsearch").refresh()
        response = client.get("/api/v1/search/services", params)
        if response.status_code == 200:
            assert response["X-Search-Backend"] == backend
        return response

    call.backend = backend
    return call
