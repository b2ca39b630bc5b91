"""Catalogue changes reach both backends; an Elasticsearch outage loses nothing."""

import logging
from datetime import timedelta

from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

import pytest

from catalogue.models import Service
from search import sync
from search.backends import elasticsearch as backend
from search.documents import document, searchable_services
from search.models import IndexChange, IndexEntry
from tests.factories import ServiceFactory, StructureFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/search/services"


def es_ids(elasticsearch):
    elasticsearch.refresh()
    hits = elasticsearch.client().search(index=elasticsearch.alias(), size=1000)["hits"]["hits"]
    return {int(hit["_id"]) for hit in hits}


def es_equals_database(elasticsearch):
    """Same services, and each stored document equal to the one the catalogue gives now."""
    elasticsearch.refresh()
    expected = {s.pk: backend.source(document(s)) for s in searchable_services()}
    hits = elasticsearch.client().search(index=elasticsearch.alias(), size=1000)["hits"]["hits"]
    stored = {int(hit["_id"]): hit["_source"] for hit in hits}
    return stored == expected


@pytest.fixture
def elasticsearch_down(elasticsearch, settings):
    """Nothing listens on port 9: Elasticsearch is unreachable until the test brings it back."""
    running_at = settings.ELASTICSEARCH_URL
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    backend.client.cache_clear()

    def bring_back():
        settings.ELASTICSEARCH_URL = running_at
        backend.client.cache_clear()

    yield bring_back
    bring_back()


def test_an_edit_reaches_elasticsearch_after_commit(
    elasticsearch, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        service = ServiceFactory(nom="Vélo-école solidaire")

    assert es_ids(elasticsearch) == {service.pk}
    assert not sync.pending().exists()
    with django_capture_on_commit_callbacks(execute=True):
        service.statut = Service.Statut.SUSPENDU
        service.save()
    assert es_ids(elasticsearch) == set()
    assert not IndexEntry.objects.filter(pk=service.pk).exists()


def test_without_sync_after_commit_the_worker_applies_the_outbox(
    elasticsearch, settings, django_capture_on_commit_callbacks
):
    settings.SEARCH_SYNC_AFTER_COMMIT = False
    with django_capture_on_commit_callbacks(execute=True):
        service = ServiceFactory(nom="Vélo-école solidaire")

    assert es_ids(elasticsearch) == set()
    assert list(sync.pending().values_list("service_id", flat=True)) == [service.pk]
    call_command("search_sync")
    assert es_ids(elasticsearch) == {service.pk} and es_equals_database(elasticsearch)


def test_structure_changes_reach_its_services(
    elasticsearch, client, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        service = ServiceFactory()
        service.structure.nom = "Les Compagnons Bâtisseurs"
        service.structure.save()
    elasticsearch.refresh()
    for backend_name in ("database", "elasticsearch"):
        settings.SEARCH_BACKEND = backend_name
        response = client.get(URL, {"q": "compagnon batisseur"})
        assert response["X-Search-Backend"] == backend_name
        assert [i["service"]["id"] for i in response.json()["items"]] == [service.identifiant]
    with django_capture_on_commit_callbacks(execute=True):
        service.structure.est_publiee = False
        service.structure.save()
    assert es_ids(elasticsearch) == set()
    assert not IndexEntry.objects.exists()


def test_deleting_a_service_removes_it_everywhere(
    elasticsearch, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        kept, deleted = ServiceFactory(), ServiceFactory()
    with django_capture_on_commit_callbacks(execute=True):
        deleted.delete()

    assert es_ids(elasticsearch) == {kept.pk}
    assert set(IndexEntry.objects.values_list("pk", flat=True)) == {kept.pk}


def test_outage_edits_succeed_search_falls_back_then_the_outbox_drains(
    elasticsearch, elasticsearch_down, client, caplog, django_capture_on_commit_callbacks
):
    structure = StructureFactory()
    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        services = [ServiceFactory(structure=structure, nom=f"Atelier CV {n}") for n in range(30)]
        with transaction.atomic():
            services[0].delete()
            services[1].nom = "Atelier lettre de motivation"
            services[1].save()

    assert Service.objects.count() == 29  # every edit committed
    assert sync.pending().count() == 32
    assert "search_sync" in caplog.text
    response = client.get(URL, {"q": "atelier", "size": 100})
    assert response.status_code == 200
    assert response["X-Search-Backend"] == "database"
    assert response.json()["total"] == 29
    assert "recherche en base de données" in caplog.text

    with pytest.raises(Exception, match="indisponible"):
        call_command("search_sync")
    assert sync.pending().filter(attempts__gte=1).exists()

    elasticsearch_down()  # Elasticsearch is back
    call_command("search_sync")

    assert not sync.pending().exists()
    assert es_equals_database(elasticsearch)
    response = client.get(URL, {"q": "lettre motivation"})
    assert response["X-Search-Backend"] == "elasticsearch"
    assert [i["service"]["id"] for i in response.json()["items"]] == [services[1].identifiant]


def test_a_late_writer_never_overwrites_a_newer_version(elasticsearch):
    service = ServiceFactory(nom="Version récente")
    newer = document(service)
    older = dict(newer, tokens=["ancien"])

    backend.write({service.pk: newer}, {service.pk: 10})
    backend.write({service.pk: older}, {service.pk: 5})

    elasticsearch.refresh()
    stored = elasticsearch.client().get(index=elasticsearch.alias(), id=service.pk)["_source"]
    assert stored["tokens"] == newer["tokens"]


def test_reindex_builds_a_new_index_and_swaps_the_alias(elasticsearch, settings):
    ServiceFactory.create_batch(12)
    ServiceFactory(statut=Service.Statut.BROUILLON)
    IndexEntry.objects.all().delete()  # as after a bulk change made without signals
    before = elasticsearch.indices_behind_alias()

    call_command("search_reindex", verbosity=0)

    after = elasticsearch.indices_behind_alias()
    assert len(after) == 1 and after != before
    assert not elasticsearch.client().indices.exists(index=before[0])
    assert IndexEntry.objects.count() == 12
    assert es_equals_database(elasticsearch)
    assert not sync.pending().exists()
    assert IndexChange.objects.exists()  # the changes made meanwhile were replayed


def test_a_reindex_replays_only_the_changes_it_may_have_missed():
    """A change applied before the reindex began is in the entries it reads (an import that
    ended just before left 55,000 of them: replaying them added 40 % to the reindex)."""
    started = timezone.now()
    rows = {  # service id: (created, applied), before `started`
        1: (timedelta(minutes=3), timedelta(minutes=2)),  # applied, then committed long before
        2: (timedelta(minutes=3), None),  # still pending
        3: (timedelta(minutes=1), timedelta(seconds=5)),  # applied just before: clocks may differ
        4: (timedelta(minutes=30), None),  # older than the margin: committed before
    }
    for service_id, (created, applied) in rows.items():
        change = IndexChange.objects.create(service_id=service_id)
        IndexChange.objects.filter(pk=change.pk).update(
            created_at=started - created, processed_at=applied and started - applied
        )

    assert sync.to_replay(started) == {2, 3}


def test_the_first_edit_after_a_reindex_reaches_elasticsearch(
    elasticsearch, django_capture_on_commit_callbacks
):
    """The reindex writes every document with the outbox's next version; the next change
    carries that same version and must still win (writes are `external_gte`)."""
    with django_capture_on_commit_callbacks(execute=True):
        service = ServiceFactory(nom="Avant la réindexation")
    IndexChange.objects.update(created_at=timezone.now() - timedelta(days=1))  # none to replay
    call_command("search_reindex", verbosity=0)

    with django_capture_on_commit_callbacks(execute=True):
        service.nom = "Après la réindexation"
        service.save()

    elasticsearch.refresh()
    stored = elasticsearch.client().get(index=elasticsearch.alias(), id=service.pk)["_source"]
    assert stored["payload"]["nom"] == "Après la réindexation"
    assert es_equals_database(elasticsearch)
