"""What every benchmark shares: progress lines, timing, the machine, the results file."""

import hashlib
import json
import os
import platform
import sys
import time
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction

from elasticsearch import helpers

from catalogue.models import Service
from search.backends import database, elasticsearch
from search.models import IndexEntry

RESULTS = Path(__file__).parent / "results"


def log(message):
    sys.stderr.write(f"[bench] {message}\n")


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    value = function(*args, **kwargs)
    return value, time.perf_counter() - start


def cpu_timed(function, *args, **kwargs):
    """(value, wall seconds, CPU seconds of this process): on a shared machine the wall time
    follows the other users' load, the CPU time much less."""
    start = time.process_time()
    value, seconds = timed(function, *args, **kwargs)
    return value, seconds, time.process_time() - start


def machine():
    return {
        "nproc": os.cpu_count(),
        "load_average_1_5_15_min": os.getloadavg(),
        "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3, 1),
        "python": platform.python_version(),
        "database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
        "elasticsearch": elasticsearch_version(),
    }


def elasticsearch_version():
    # GET / is not served by this distribution; the nodes API gives the version.
    nodes = elasticsearch.client().nodes.info(node_id="_local")["nodes"]
    return next(iter(nodes.values()))["version"]


def fresh_database(path):
    """A new SQLite file (WAL: readers do not wait for a writer) with the reference geography.
    A new file rather than deleting a catalogue: deleting 250,000 records (and their
    reference-index rows) one signal at a time takes longer than importing them."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode=WAL")
    log("territoires…")
    call_command("load_territoires", verbosity=0)


def fresh_catalogue(path, **sizes):
    """`fresh_database`, then the demo catalogue (`load_demo` options: `structures`, `services`;
    none for its default sizes and seed) indexed from scratch in both backends."""
    fresh_database(path)
    call_command("load_demo", no_accounts=True, verbosity=0, **sizes)
    elasticsearch.drop_all()
    call_command("search_reindex", verbosity=0)


def write_results(name, report):
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}-{datetime.now():%Y-%m-%d}.json"
    text = json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    path.write_text(text)
    log(f"résultats : {path}")
    sys.stdout.write(text)


def checksum(source):
    return hashlib.sha256(json.dumps(source, sort_keys=True).encode()).hexdigest()


def compare_index():
    """The Elasticsearch index against the database's entries (the catalogue's truth): how
    many documents on each side, and how many differ (SHA-256 of each) or exist on one only."""
    elasticsearch.refresh()
    in_database = {
        pk: checksum(elasticsearch.source(document))
        for pk, document in database.documents(
            IndexEntry.objects.values_list("pk", flat=True)
        ).items()
    }
    hits = helpers.scan(elasticsearch.client(), index=elasticsearch.alias())
    in_elasticsearch = {int(hit["_id"]): checksum(hit["_source"]) for hit in hits}
    differing = [pk for pk in in_database if in_elasticsearch.get(pk) != in_database[pk]]
    return {
        "database_documents": len(in_database),
        "elasticsearch_documents": len(in_elasticsearch),
        "documents_differing": len(differing) + len(set(in_elasticsearch) - set(in_database)),
    }


def edit_service(pk, number):
    """Renames a service (« … #number ») in a transaction of its own, through the portal's path
    (signals, search outbox, sync after commit); returns the new name."""
    with transaction.atomic():
        service = Service.objects.get(pk=pk)
        service.nom = f"{service.nom.split(' #')[0]} #{number}"
        service.save()
    return service.nom


def committed(expected):
    """How many of the services {pk: name} the database holds with that name."""
    stored = dict(Service.objects.filter(pk__in=expected).values_list("pk", "nom"))
    return sum(stored[pk] == nom for pk, nom in expected.items())
