"""Each test searches the state it declares. Without the `elasticsearch` fixture, search runs on
the database backend, whose entries live in the test's transaction: an edit never reaches the
shared Elasticsearch server, where another test or another run would read it. With it, the index
starts empty whatever the previous test left (run in either order, the second would fail)."""

import pytest

from search.models import IndexChange
from tests.factories import ServiceFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/search/services"
AUBAGNE = {"code_insee": "13005", "latitude": 43.2927, "longitude": 5.5708}


def test_an_undeclared_backend_is_the_database_and_nothing_reaches_elasticsearch(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ServiceFactory(**AUBAGNE)

    assert not IndexChange.objects.exists()  # no outbox row: Elasticsearch is left alone
    response = client.get(URL, {"code_commune": "13005"})
    assert response["X-Search-Backend"] == "database"
    assert response.json()["total"] == 1


@pytest.mark.parametrize("turn", ["first", "second"])
def test_the_elasticsearch_index_starts_empty_whatever_was_left_in_it(
    turn, elasticsearch, client, django_capture_on_commit_callbacks
):
    elasticsearch.refresh()
    assert elasticsearch.client().count(index=elasticsearch.alias())["count"] == 0
    assert client.get(URL, {"code_commune": "13005"}).json()["total"] == 0

    with django_capture_on_commit_callbacks(execute=True):
        ServiceFactory(**AUBAGNE)  # left behind, as a leaking test would
    elasticsearch.refresh()
    response = client.get(URL, {"code_commune": "13005"})
    assert response["X-Search-Backend"] == "elasticsearch"
    assert response.json()["total"] == 1
