"""`make bench-faults`: Elasticsearch killed during 1,000 catalogue edits.

Starts a second Elasticsearch node of its own (port 9201, so nothing else loses its search),
loads a demo catalogue into its own database (var/bench-faults.sqlite3) and indexes it, then
kills the node (SIGKILL) and makes 1,000 edits, each in its own transaction, with a search
through the API every 20 edits. Checks that every edit is committed and that every search was
answered (by the database backend), restarts the node, runs `search_sync`, and compares the
index with the database: same count, same checksum for every document.
Writes bench/results/faults-<date>.json; exits non-zero if anything was lost.
"""

import logging
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import django

PORT = 9201
NODE = {"ES_PORT": str(PORT), "ES_HOME_ROOT": "/var/tmp/portail-elasticsearch-pannes"}  # noqa: S108
ELASTICSEARCH_SCRIPT = str(Path(__file__).resolve().parent.parent / "scripts" / "elasticsearch.sh")
DATABASE = Path("var/bench-faults.sqlite3").resolve()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
os.environ["DATABASE_URL"] = f"sqlite:///{DATABASE}"
os.environ["ELASTICSEARCH_URL"] = f"http://127.0.0.1:{PORT}"
os.environ["SEARCH_INDEX_ALIAS"] = "bench-faults-portail-services"
django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from bench.common import (  # noqa: E402
    committed,
    compare_index,
    edit_service,
    fresh_catalogue,
    log,
    machine,
    timed,
    write_results,
)
from catalogue.models import Service  # noqa: E402
from search import sync  # noqa: E402
from search.backends import elasticsearch  # noqa: E402
from search.services import ELASTICSEARCH_FAILURES  # noqa: E402

EDITS = int(os.environ.get("BENCH_FAULT_EDITS", 1000))
SEARCH_EVERY = 20


def node(action):
    subprocess.run([ELASTICSEARCH_SCRIPT, action], env=os.environ | NODE, check=True)  # noqa: S603


def kill_node():
    pid = int(Path(NODE["ES_HOME_ROOT"], "elasticsearch.pid").read_text())
    os.kill(pid, signal.SIGKILL)
    elasticsearch.client.cache_clear()
    for _ in range(50):
        try:
            elasticsearch.client().cluster.health(timeout="1s")
        except ELASTICSEARCH_FAILURES:
            return
        time.sleep(0.2)
    raise RuntimeError("Elasticsearch répond encore après SIGKILL.")


def edit_during_outage(client):
    rng = random.Random(2026)
    ids = list(Service.objects.publies().values_list("pk", flat=True))
    expected, searches = {}, {"made": 0, "answered": 0, "by_database": 0}
    for number in range(1, EDITS + 1):
        pk = rng.choice(ids)
        expected[pk] = edit_service(pk, number)
        if number % SEARCH_EVERY == 0:
            response = client.get("/api/v1/search/services", {"code_commune": "13005"})
            searches["made"] += 1
            searches["answered"] += response.status_code == 200
            searches["by_database"] += response.get("X-Search-Backend") == "database"
    return {
        "edits": EDITS,
        "services_edited": len(expected),
        "committed": committed(expected),
    } | searches


def main():
    for noisy in ("search", "elastic_transport"):  # a warning per edit otherwise
        logging.getLogger(noisy).setLevel(logging.CRITICAL)
    node("start")
    try:
        info = machine()
        log("catalogue et index…")
        fresh_catalogue(DATABASE, structures=200, services=2000)
        log("SIGKILL d'Elasticsearch, puis modifications…")
        kill_node()
        outage, outage_seconds = timed(edit_during_outage, Client())
        pending = sync.pending().count()
        log("redémarrage et search_sync…")
        _, restart_seconds = timed(node, "start")
        elasticsearch.client.cache_clear()
        _, sync_seconds = timed(call_command, "search_sync", verbosity=0)
        after = compare_index()
    finally:
        node("stop")
    report = {
        "machine": info,
        "outage": outage | {"seconds": round(outage_seconds, 1), "outbox_pending": pending},
        "restart_seconds": round(restart_seconds, 1),
        "search_sync_seconds": round(sync_seconds, 1),
        "after_sync": after,
    }
    write_results("faults", report)
    lost = (
        outage["committed"] != outage["services_edited"]
        or outage["answered"] != outage["made"]
        or after["documents_differing"]
        or after["database_documents"] != after["elasticsearch_documents"]
    )
    sys.exit(1 if lost else 0)


if __name__ == "__main__":
    main()
