"""`make bench-import`: a national-size data·inclusion import, timed, with its memory.

    make bench-import      (100,000 structures and 150,000 services; BENCH_IMPORT_STRUCTURES,
                            BENCH_IMPORT_SERVICES to change)

Writes the demo generator's JSON Lines files, empties the catalogue of its own database
(var/bench-import.sqlite3) and index alias, then imports structures and services through the
search sync, imports the same files again (nothing changed), and checks that Elasticsearch
holds every searchable service. Elasticsearch is fed as in production by a `search_sync --loop`
worker on the other core (`SEARCH_SYNC_AFTER_COMMIT` off; BENCH_IMPORT_SYNC=inline to have the
import process feed it after each batch): the time counted runs until the outbox is empty. The resident memory is sampled
every 0.2 s: its peak in each half of the services import shows whether it stays flat.
Writes bench/results/import-<date>.json.
"""

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
DATABASE = Path("var/bench-import.sqlite3").resolve()
os.environ["DATABASE_URL"] = f"sqlite:///{DATABASE}"
os.environ.setdefault("SEARCH_INDEX_ALIAS", "bench-import-portail-services")
django.setup()

from django.conf import settings  # noqa: E402

from bench.common import fresh_database, log, machine, timed, write_results  # noqa: E402
from catalogue import importer  # noqa: E402
from catalogue.demo import write_demo_files  # noqa: E402
from search import sync  # noqa: E402
from search.backends import elasticsearch  # noqa: E402
from search.models import IndexEntry  # noqa: E402
from territoires import services as territoires  # noqa: E402

STRUCTURES = int(os.environ.get("BENCH_IMPORT_STRUCTURES", 100_000))
SERVICES = int(os.environ.get("BENCH_IMPORT_SERVICES", 150_000))
SYNC = os.environ.get("BENCH_IMPORT_SYNC", "worker")
FILES = Path("var/bench-import")


def resident_mb():
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


class MemorySampler(threading.Thread):
    """Samples this process's resident memory until stopped."""

    def __init__(self):
        super().__init__(daemon=True)
        self.samples = []  # (seconds since start, MB)
        self.stopped = threading.Event()
        self.start_time = time.perf_counter()

    def run(self):
        while not self.stopped.wait(0.2):
            self.samples.append((time.perf_counter() - self.start_time, resident_mb()))

    def stop(self):
        self.stopped.set()
        self.join()
        return self.samples


def halves(samples):
    """Peak resident memory in the first and in the second half of a run."""
    middle = samples[-1][0] / 2
    first = [mb for t, mb in samples if t <= middle] or [0]
    second = [mb for t, mb in samples if t > middle] or [0]
    return {"first_half_peak_mb": round(max(first)), "second_half_peak_mb": round(max(second))}


def empty_catalogue():
    fresh_database(DATABASE)
    elasticsearch.drop_all()
    elasticsearch.ensure_index()


def imported(function, path):
    sampler = MemorySampler()
    sampler.start()
    report, seconds = timed(function, path)
    samples = sampler.stop()
    assert report.etat == "termine" and not report.rejetes, (report.etat, report.rejets[:3])
    counts = {
        name: getattr(report, name) for name in ("crees", "mis_a_jour", "inchanges", "rejetes")
    }
    return (
        counts
        | {"seconds": round(seconds, 1), "peak_mb": round(max(mb for _, mb in samples))}
        | (halves(samples) if samples else {})
    )


def start_sync_worker():
    if SYNC == "inline":
        return None
    settings.SEARCH_SYNC_AFTER_COMMIT = False
    command = [sys.executable, "manage.py", "search_sync", "--loop", "0.5"]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL)  # noqa: S603


def drained(worker, since):
    """Seconds from `since` until Elasticsearch took the whole outbox."""
    while worker and sync.pending().exists():
        time.sleep(0.2)
    return round(time.perf_counter() - since, 1)


def main():
    settings.SEARCH_BACKEND = elasticsearch.NAME
    elasticsearch.client().cluster.health(wait_for_status="yellow", timeout="30s")
    empty_catalogue()
    FILES.mkdir(parents=True, exist_ok=True)
    log(f"fichiers : {STRUCTURES} structures, {SERVICES} services…")
    structures_path, services_path, _ = write_demo_files(FILES, STRUCTURES, SERVICES, seed=2026)
    territoires.preload()
    baseline_mb = resident_mb()

    worker = start_sync_worker()
    started = time.perf_counter()
    log("import des structures…")
    structures = imported(importer.import_structures, structures_path)
    log(f"import des services (Elasticsearch par {SYNC})…")
    services = imported(importer.import_services, services_path)
    until_indexed = drained(worker, started)
    log("second import, rien n'a changé…")
    again = {
        "structures": imported(importer.import_structures, structures_path),
        "services": imported(importer.import_services, services_path),
    }
    drained(worker, started)
    if worker:
        worker.terminate()
        worker.wait()
    elasticsearch.refresh()
    in_elasticsearch = elasticsearch.client().count(index=elasticsearch.alias())["count"]
    report = {
        "machine": machine(),
        "files": {
            "structures": STRUCTURES,
            "services": SERVICES,
            "megabytes": round(
                (structures_path.stat().st_size + services_path.stat().st_size) / 1e6
            ),
        },
        "resident_mb_before": round(baseline_mb),
        "first_import": {
            "structures": structures,
            "services": services,
            "total_seconds": round(structures["seconds"] + services["seconds"], 1),
            "until_elasticsearch_has_all_seconds": until_indexed,
            "elasticsearch_sync": SYNC,
        },
        "unchanged_reimport": again
        | {"total_seconds": round(sum(run["seconds"] for run in again.values()), 1)},
        "search": {
            "database_entries": IndexEntry.objects.count(),
            "elasticsearch_documents": in_elasticsearch,
            "outbox_pending": sync.pending().count(),
        },
    }
    write_results(f"import-{SYNC}", report)


if __name__ == "__main__":
    main()
