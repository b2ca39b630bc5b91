"""Elasticsearch from the settings (nodes, credentials, CA, shards and replicas) and its health,
said at start (system check, log) and given to whoever asks (`health()`)."""

import base64
import threading
from http.server import ThreadingHTTPServer

from django.core.checks import run_checks

import certifi
import pytest

from search.backends import elasticsearch as backend
from search.checks import SEARCH
from tests.servers import JsonHandler


class FakeNode(JsonHandler):
    """Answers every request as a node of the version the server holds, and keeps the
    Authorization header it was sent."""

    def do_GET(self):  # noqa: N802 (http.server's name)
        self.server.authorizations.append(self.headers.get("Authorization"))
        nodes = {"nodes": {"n1": {"version": self.server.version}}}
        self.answer(nodes, X_Elastic_Product="Elasticsearch")


@pytest.fixture
def fake_node(settings):
    """A server that looks like an Elasticsearch node (7.17.0 unless told), in the settings."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeNode)
    server.version, server.authorizations = "7.17.0", []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.SEARCH_BACKEND = backend.NAME
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{server.server_address[1]}"
    backend.client.cache_clear()
    yield server
    server.shutdown()
    server.server_close()
    backend.client.cache_clear()


@pytest.fixture
def configured(settings):
    """Settings changed by the test reach a new client, and the next test gets the usual one."""
    backend.client.cache_clear()
    yield settings
    backend.client.cache_clear()


def test_a_healthy_cluster_says_so_and_raises_no_warning(elasticsearch):
    assert backend.health() == backend.HEALTHY
    assert run_checks(tags=[SEARCH]) == []


def test_an_unreachable_server_is_reported_at_start(configured, caplog):
    configured.SEARCH_BACKEND = backend.NAME
    configured.ELASTICSEARCH_URL = "http://127.0.0.1:9"

    (warning,) = run_checks(tags=[SEARCH])
    assert warning.id == "search.W001"
    assert warning.msg == "Elasticsearch injoignable ou incompatible : ConnectionError"
    from search.checks import log_at_start

    log_at_start()
    assert "Elasticsearch injoignable" in caplog.text


def test_the_check_is_silent_on_the_database_backend(configured):
    configured.SEARCH_BACKEND = "database"
    configured.ELASTICSEARCH_URL = "http://127.0.0.1:9"

    assert run_checks(tags=[SEARCH]) == []


def test_a_server_of_another_major_version_is_incompatible(fake_node):
    assert backend.health() == "Elasticsearch 7.17.0 incompatible (8.x attendu)"


def test_a_missing_index_is_reported(elasticsearch):
    elasticsearch.drop_all()

    assert (
        backend.health()
        == f"Elasticsearch : index {backend.alias()} absent (manage.py search_reindex)"
    )


def test_shards_and_replicas_come_from_the_settings(elasticsearch, settings):
    settings.ELASTICSEARCH_SHARDS, settings.ELASTICSEARCH_REPLICAS = 2, 1

    name = backend.create_index()

    index = backend.client().indices.get_settings(index=name)[name]["settings"]["index"]
    assert (index["number_of_shards"], index["number_of_replicas"]) == ("2", "1")


def test_an_api_key_is_sent(fake_node, settings):
    settings.ELASTICSEARCH_API_KEY = "Y2xlZjpzZWNyZXQ="
    backend.client.cache_clear()

    backend.health()

    assert fake_node.authorizations[0] == "ApiKey Y2xlZjpzZWNyZXQ="


def test_a_user_and_password_are_sent(fake_node, settings):
    settings.ELASTICSEARCH_USERNAME, settings.ELASTICSEARCH_PASSWORD = "portail", "mot de passe"
    backend.client.cache_clear()

    backend.health()

    expected = base64.b64encode(b"portail:mot de passe").decode()
    assert fake_node.authorizations[0] == f"Basic {expected}"


def test_a_cluster_is_several_nodes_with_retries_on_the_others(configured):
    configured.ELASTICSEARCH_URL = "https://a:9200, https://b:9200,https://c:9200"
    configured.ELASTICSEARCH_CA_CERTS = certifi.where()

    client = backend.client()

    nodes = client.transport.node_pool.all()
    assert sorted(node.config.host for node in nodes) == ["a", "b", "c"]
    assert {node.config.ca_certs for node in nodes} == {certifi.where()}
    assert (client._max_retries, client._retry_on_timeout) == (2, True)
