"""`make bench-cluster`: a three-node Elasticsearch cluster loses a node under load.

Starts three nodes of the local distribution (`scripts/elasticsearch.sh`, the same
unprivileged user, free ports, BENCH_CLUSTER_HEAP each), loads a demo catalogue (2,000
services) into its own database (var/bench-cluster.sqlite3) and indexes it with one replica.
Then 8 clients search through the API (THINK_SECONDS apart) while 1,000 edits go through the
portal's path (each in its own transaction, the outbox applied after commit); at edit 250 the node
holding the primary shard is killed (SIGKILL), at edit 500 it is restarted. Once the cluster
is green again, `search_sync` drains what the outage left and the index is compared with the
database. A search fails when it is not answered by Elasticsearch (an error, or the database
backend answering instead). Writes bench/results/cluster-<date>.json; exits non-zero on a
failed search, a lost edit or a document differing.
"""

import logging
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import django

from ops.servers import free_port

NODES = 3
HEAP = os.environ.get("BENCH_CLUSTER_HEAP", "384m")
CLIENTS = 8
THINK_SECONDS = 0.5  # between two searches of a client (a person reading the results)
EDITS = int(os.environ.get("BENCH_CLUSTER_EDITS", 1000))
KILL_AT, RESTART_AT = EDITS // 4, EDITS // 2
ROOT = Path("/var/tmp/portail-elasticsearch-grappe")  # noqa: S108
DISTRIBUTION = "/var/tmp/portail-elasticsearch"  # noqa: S108 (scripts/elasticsearch.sh's)
ELASTICSEARCH_SCRIPT = str(Path(__file__).resolve().parent.parent / "scripts" / "elasticsearch.sh")
DATABASE = Path("var/bench-cluster.sqlite3").resolve()
SEARCHES = [
    {"code_commune": "13005"},
    {"code_commune": "13005", "distance": "50", "page": "2"},
    {"code_commune": "13005", "thematiques": "mobilite"},
    {"code_commune": "13005", "tri": "distance", "size": "50"},
]


NAMES = [f"noeud-{n}" for n in range(1, NODES + 1)]
HTTP_PORTS = {name: free_port() for name in NAMES}
TRANSPORT_PORTS = {name: free_port() for name in NAMES}
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
os.environ["DATABASE_URL"] = f"sqlite:///{DATABASE}"
os.environ["ELASTICSEARCH_URL"] = ",".join(f"http://127.0.0.1:{p}" for p in HTTP_PORTS.values())
os.environ["ELASTICSEARCH_REPLICAS"] = "1"
os.environ["SEARCH_INDEX_ALIAS"] = "bench-cluster-portail-services"
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from bench import common  # noqa: E402
from catalogue.models import Service  # noqa: E402
from search import sync  # noqa: E402
from search.backends import elasticsearch  # noqa: E402


def node_environment(name):
    """scripts/elasticsearch.sh's variables for one node of the cluster."""
    return os.environ | {
        "ES_HOME_ROOT": str(ROOT / name), "ES_DIST_ROOT": DISTRIBUTION,
        "ES_PORT": str(HTTP_PORTS[name]), "ES_TRANSPORT_PORT": str(TRANSPORT_PORTS[name]),
        "ES_CLUSTER_NAME": f"portail-bench-{os.getpid()}", "ES_NODE_NAME": name,
        "ES_CLUSTER_NODES": ",".join(NAMES),
        "ES_CLUSTER_HOSTS": ",".join(f"127.0.0.1:{p}" for p in TRANSPORT_PORTS.values()),
        "ES_JAVA_OPTS": f"-Xms{HEAP} -Xmx{HEAP}", "ES_START_SECONDS": "300",
    }  # fmt: skip


def nodes(action, names=NAMES):
    """Runs `action` (start, stop) on these nodes at once; a start returns once the node is in
    a cluster of yellow health or better (two nodes elect the master)."""
    runs = [
        subprocess.Popen([ELASTICSEARCH_SCRIPT, action], env=node_environment(name))  # noqa: S603
        for name in names
    ]
    if any(run.wait() for run in runs):
        raise RuntimeError(f"elasticsearch.sh {action} a échoué.")


def wait_green():
    elasticsearch.client().cluster.health(wait_for_status="green", timeout="300s")


def primary_holder():
    """The name of the node holding the index's primary shard."""
    shards = elasticsearch.client().cat.shards(index=elasticsearch.alias(), format="json")
    return next(shard["node"] for shard in shards if shard["prirep"] == "p")


def kill(name):
    os.kill(int((ROOT / name / "elasticsearch.pid").read_text()), signal.SIGKILL)


class Searchers:
    """CLIENTS threads searching through the API until stopped; counts what they got."""

    def __init__(self):
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.made, self.failed, self.by_database, self.errors = 0, 0, 0, []
        self.threads = [threading.Thread(target=self.run, args=(n,)) for n in range(CLIENTS)]

    def run(self, number):
        client, rng = Client(), random.Random(number)
        try:
            while not self.stop.is_set():
                try:
                    response = client.get("/api/v1/search/services", rng.choice(SEARCHES))
                except Exception as error:  # noqa: BLE001 (a crash is a failed search too)
                    self.record(500, type(error).__name__)
                else:
                    self.record(response.status_code, response.get("X-Search-Backend"))
                self.stop.wait(THINK_SECONDS)
        finally:
            connection.close()

    def record(self, status, backend):
        """One search: its HTTP status and who answered (X-Search-Backend, or the error)."""
        with self.lock:
            self.made += 1
            self.by_database += backend == "database"
            if status != 200 or backend != elasticsearch.NAME:
                self.failed += 1
                self.errors = [*self.errors, f"{status} {backend}"][:10]

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc_info):
        self.stop.set()
        for thread in self.threads:
            thread.join()

    def report(self):
        return {
            "clients": CLIENTS, "made": self.made, "failed": self.failed,
            "by_database": self.by_database, "first_failures": self.errors,
        }  # fmt: skip


def edit_while_a_node_dies():
    """The edits, killing then restarting the primary's node; returns the edits' and the
    node's reports once it is back and the cluster green."""
    rng = random.Random(2026)
    ids = list(Service.objects.publies().values_list("pk", flat=True))
    expected, node, restart = {}, {}, None
    started = time.monotonic()
    for number in range(1, EDITS + 1):
        if number == KILL_AT:
            node["name"] = primary_holder()
            kill(node["name"])
            node |= {"held": "primary", "killed_at_edit": number, "killed_at": time.monotonic()}
        if number == RESTART_AT:
            node["restarted_at_edit"] = number
            node["down_seconds"] = round(time.monotonic() - node.pop("killed_at"), 1)
            restart = threading.Thread(target=restart_and_time, args=(node,))
            restart.start()
        pk = rng.choice(ids)
        expected[pk] = common.edit_service(pk, number)
    edits_seconds = time.monotonic() - started
    restart.join()
    edits = {
        "made": EDITS,
        "services_edited": len(expected),
        "committed": common.committed(expected),
    }
    return edits | {"seconds": round(edits_seconds, 1)}, node


def restart_and_time(node):
    _, node["rejoined_seconds"] = common.timed(nodes, "start", [node["name"]])
    _, node["green_seconds"] = common.timed(wait_green)
    node["rejoined_seconds"] = round(node["rejoined_seconds"], 1)
    node["green_seconds"] = round(node["green_seconds"], 1)


def main():
    for noisy in ("search", "elastic_transport", "elasticsearch"):  # a line per retry otherwise
        logging.getLogger(noisy).setLevel(logging.CRITICAL)
    shutil.rmtree(ROOT, ignore_errors=True)
    common.log(f"{NODES} nœuds Elasticsearch ({HEAP} chacun)…")
    nodes("start")
    try:
        info = common.machine()
        common.log("catalogue et index (une réplique)…")
        common.fresh_catalogue(DATABASE, structures=200, services=2000)
        wait_green()
        common.log(f"{CLIENTS} clients cherchent, {EDITS} modifications, un nœud tué puis relancé…")
        with Searchers() as searchers:
            (edits, node), seconds = common.timed(edit_while_a_node_dies)
        pending = sync.pending().count()
        _, sync_seconds = common.timed(call_command, "search_sync", verbosity=0)
        after = common.compare_index() | {"outbox_pending": sync.pending().count()}
    finally:
        nodes("stop")
    report = {
        "machine": info,
        "cluster": {"nodes": NODES, "heap": HEAP, "shards": 1, "replicas": 1},
        "searches": searchers.report(),
        "edits": edits,
        "killed_node": node,
        "seconds": round(seconds, 1),
        "outbox_pending_before_sync": pending,
        "search_sync_seconds": round(sync_seconds, 1),
        "after_sync": after,
    }
    common.write_results("cluster", report)
    lost = (
        searchers.failed
        or not searchers.made
        or edits["committed"] != edits["services_edited"]
        or after["documents_differing"]
        or after["database_documents"] != after["elasticsearch_documents"]
        or after["outbox_pending"]
    )
    sys.exit(1 if lost else 0)


if __name__ == "__main__":
    main()
