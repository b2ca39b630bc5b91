"""Keeping both search backends equal to the catalogue.

A change to services (or to their structure) rewrites their database entries and writes an
outbox row, both in the transaction of the change. After the commit, and with
`manage.py search_sync`, the outbox is applied to Elasticsearch, from those database entries
(a document is built once); if it is down, the rows wait and the catalogue edit has succeeded
anyway. With `SEARCH_SYNC_AFTER_COMMIT = False`, only the worker (`search_sync --loop`) applies
the outbox: the process that changed the catalogue (a national import) does not wait for
Elasticsearch, which a second core feeds meanwhile.
"""

import logging
import math

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from search import vocabulary
from search.backends import database, elasticsearch
from search.documents import document, searchable_services, text_of
from search.models import IndexChange, IndexEntry
from search.services import ELASTICSEARCH_FAILURES, elasticsearch_enabled

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
# Changes are replayed after a reindex from this long before it started (transactions that
# were still open when the reindex read the catalogue)…
REINDEX_REPLAY_MARGIN = timezone.timedelta(minutes=5)
# …except those already applied this long before it started (the clocks of other hosts may
# differ by less): applied after their commit, they are in the database entries it reads.
REINDEX_APPLIED_MARGIN = timezone.timedelta(seconds=30)
PROCESSED_KEPT_FOR = timezone.timedelta(days=7)


def no_progress(iterable, **kwargs):
    return iterable


def documents_of(service_ids):
    services = searchable_services().filter(pk__in=service_ids)
    return {service.pk: document(service) for service in services}


def services_changed(service_ids):
    """Call inside the transaction that changed these services."""
    service_ids = set(service_ids)
    if not service_ids:
        return
    database.replace(service_ids, documents_of(service_ids).values())
    if elasticsearch_enabled():
        IndexChange.objects.bulk_create(IndexChange(service_id=pk) for pk in sorted(service_ids))
        if settings.SEARCH_SYNC_AFTER_COMMIT:
            batches = math.ceil(len(service_ids) / BATCH_SIZE)
            transaction.on_commit(lambda: sync_after_commit(batches))


def sync_after_commit(batches):
    """As many outbox batches as the transaction wrote rows, oldest first: a backlog left by an
    outage drains with the next edits and `search_sync`, never all at once in a request."""
    try:
        sync_pending(max_batches=batches)
    except (*ELASTICSEARCH_FAILURES, elasticsearch.SyncError) as error:
        logger.warning(
            "Index Elasticsearch non mis à jour (%s) : `search_sync` le rattrapera.", error
        )


def pending():
    return IndexChange.objects.filter(processed_at=None)


def sync_pending(max_batches=None):
    """Applies the outbox to Elasticsearch, oldest first; returns the number of rows applied.
    Raises when Elasticsearch fails (the rows stay pending, their attempts counted)."""
    applied, batches = 0, 0
    while max_batches is None or batches < max_batches:
        rows = list(pending().order_by("pk").values_list("pk", "service_id")[:BATCH_SIZE])
        if not rows:
            break
        versions = {service_id: pk for pk, service_id in rows}
        row_ids = [pk for pk, _ in rows]
        try:
            elasticsearch.ensure_index()
            elasticsearch.write(database.documents(versions), versions)
        except (*ELASTICSEARCH_FAILURES, elasticsearch.SyncError) as error:
            _record_failure(row_ids, error)
            raise
        IndexChange.objects.filter(pk__in=row_ids).update(processed_at=timezone.now())
        applied += len(rows)
        batches += 1
    return applied


def _record_failure(row_ids, error):
    IndexChange.objects.filter(pk__in=row_ids).update(
        attempts=F("attempts") + 1, last_error=str(error)[:1000]
    )


def purge_processed():
    return IndexChange.objects.filter(
        processed_at__lt=timezone.now() - PROCESSED_KEPT_FOR
    ).delete()[0]


@transaction.atomic
def rebuild_database_index(progress=no_progress):
    """Rewrites every database entry from the catalogue (after a bulk change made without
    signals, or to repair), and the corpus statistics both backends rank with
    (`search.vocabulary`), in one transaction: searches see the old index until it is done."""
    database.clear()
    statistics = vocabulary.StatisticsBuilder()
    ids = list(searchable_services().values_list("pk", flat=True))
    for start in progress(range(0, len(ids), BATCH_SIZE), desc="base de données"):
        chunk = ids[start : start + BATCH_SIZE]
        documents = []
        for service in searchable_services().filter(pk__in=chunk):
            documents.append(document(service))
            statistics.add(text_of(service))
        database.replace(chunk, documents)
    statistics.save()
    database.analyse_entries()
    return len(ids)


def reindex_elasticsearch(progress=no_progress):
    """Builds a new index from the database entries, then swaps the alias to it (no downtime).
    Changes made meanwhile are replayed from the outbox afterwards."""
    started = timezone.now()
    version = (IndexChange.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    name = elasticsearch.create_index()
    ids = list(IndexEntry.objects.order_by("pk").values_list("pk", flat=True))
    for start in progress(range(0, len(ids), BATCH_SIZE), desc="Elasticsearch"):
        chunk = ids[start : start + BATCH_SIZE]
        elasticsearch.write(database.documents(chunk), dict.fromkeys(chunk, version), index=name)
    elasticsearch.client().indices.refresh(index=name)
    elasticsearch.point_alias_to(name)
    IndexChange.objects.bulk_create(IndexChange(service_id=pk) for pk in sorted(to_replay(started)))
    sync_pending()
    return len(ids)


def to_replay(started):
    """The services whose change the reindex begun at `started` may have missed: changed in
    the margin before it and not yet applied when it began. A national import that ended two
    minutes before left 55,000 applied changes in the margin: all replayed, they added 40 % to
    the work of a fresh clone's reindex (bench/README.md, 2026-11-29)."""
    recent = IndexChange.objects.filter(created_at__gte=started - REINDEX_REPLAY_MARGIN)
    not_applied_before = Q(processed_at=None) | Q(
        processed_at__gte=started - REINDEX_APPLIED_MARGIN
    )
    return set(recent.filter(not_applied_before).values_list("service_id", flat=True))
