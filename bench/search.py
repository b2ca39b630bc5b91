"""`make bench`: search latency on both backends, through the service layer and through HTTP.

    BENCH_SERVICES=150000 make bench      (default 20,000)
    DATABASE_URL=postgres://… BENCH_SERVICES=150000 make bench   (the database backend on PostgreSQL)
    BENCH_BACKENDS=database …   (one backend only; default both)

Loads the demo catalogue (through the importer and the search sync) once per size, rebuilds
both indexes (timed; on PostgreSQL then vacuumed, as autovacuum would), replays a fixed mix of
queries with a warm-up, times edits until they can be found, and writes
bench/results/search-<date>.json (search-postgresql-<date>.json on PostgreSQL). Compare ratios
measured in one run: the machine is noisy.
"""

import http.client
import os
import statistics
import threading
import time
from datetime import datetime
from urllib.parse import urlencode
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import QueryDict  # noqa: E402

from bench.common import cpu_timed, log, machine, timed, write_results  # noqa: E402
from bench.querymix import query_mix  # noqa: E402
from catalogue.demo import DEMO_DEPARTEMENTS  # noqa: E402
from catalogue.models import Service  # noqa: E402
from search import sync  # noqa: E402
from search.backends import database, elasticsearch  # noqa: E402
from search.forms import SearchForm  # noqa: E402
from search.models import IndexEntry, IndexOpening, IndexPayload  # noqa: E402
from territoires import services as territoires  # noqa: E402
from territoires.models import Commune  # noqa: E402

SERVICES = int(os.environ.get("BENCH_SERVICES", 20_000))
QUERIES = int(os.environ.get("BENCH_QUERIES", 500))
# BENCH_BACKENDS=database: only that backend (e.g. the database backend on PostgreSQL).
BACKENDS = os.environ.get("BENCH_BACKENDS", "elasticsearch,database").split(",")
WARMUP = 50
EDITS = 50
EDIT_TIMEOUT_S = 30


def prepare_catalogue():
    call_command("migrate", verbosity=0)
    if not Commune.objects.exists():
        log("territoires…")
        call_command("load_territoires", verbosity=0)
    if Service.objects.count() != SERVICES:
        log(f"catalogue de démonstration : {SERVICES} services…")
        Service.objects.all().delete()
        call_command(
            "load_demo", services=SERVICES, structures=max(SERVICES // 10, 10), no_accounts=True
        )
    territoires.preload()


def settle_database():
    """On PostgreSQL, vacuums and analyses the search tables just rewritten, as autovacuum does
    a minute after a full rebuild: otherwise it passes during the first timed phase."""
    if connection.vendor != "postgresql":
        return
    tables = [model._meta.db_table for model in (IndexEntry, IndexOpening, IndexPayload)]
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {', '.join(tables)}")


def percentile_ms(ordered, fraction):
    return round(ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] * 1000, 2)


def stats(durations):
    ordered = sorted(durations)
    return {
        "count": len(ordered),
        "p50_ms": percentile_ms(ordered, 0.50),
        "p95_ms": percentile_ms(ordered, 0.95),
        "p99_ms": percentile_ms(ordered, 0.99),
        "mean_ms": round(statistics.fmean(ordered) * 1000, 2),
        "req_per_s": round(len(ordered) / sum(ordered), 1),
    }


def forget_cached_answers():
    """Each measured run starts without Elasticsearch's request cache (the count searches it
    keeps): the runs replay the same mix, and the second would find the first's answers."""
    elasticsearch.client().indices.clear_cache(index=elasticsearch.alias(), request=True)


def run_service_layer(backend, queries):
    forget_cached_answers()
    for query in queries[:WARMUP]:
        backend.search(query)
    durations, totals = [], []
    for query in queries:
        results, seconds = timed(backend.search, query)
        durations.append(seconds)
        totals.append(results.total)
    return stats(durations) | {"mean_total": round(statistics.fmean(totals), 1)}


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def run_http(backend_name, params_list, path, warmup=WARMUP):
    settings.SEARCH_BACKEND = backend_name
    forget_cached_answers()
    server = make_server("127.0.0.1", 0, get_wsgi_application(), WSGIServer, QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    connection = http.client.HTTPConnection("127.0.0.1", server.server_port)
    durations, statuses = [], set()
    try:
        for index, params in enumerate(params_list[:warmup] + params_list):
            start = time.perf_counter()
            connection.request("GET", f"{path}?{urlencode(params)}")
            response = connection.getresponse()
            response.read()
            if index >= warmup:
                durations.append(time.perf_counter() - start)
                statuses.add(response.status)
            if response.getheader("Connection") == "close" or response.will_close:
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", server.server_port)
    finally:
        server.shutdown()
    return stats(durations) | {"statuses": sorted(statuses)}


# Bad input (issue 15): each answered with a clear message or sensible results, and never slow.
BAD_INPUTS = {
    "10 000 caractères": "permis " * 1430,
    "mots vides": "le la les de des du",
    "ponctuation": "!!! ??? ... ;;; ---",
    "émoji": "🙂🚲🏠👶",
    "mot de 200 lettres": "a" * 200,
    "30 mots": " ".join(["logement", "emploi", "permis", "formation", "santé", "aide"] * 5),
    "fautes et mots collés": "hebergmentdurgence acompagnemant profesionel",
}
BAD_INPUT_REPEATS = 20


def run_bad_inputs(backend_name):
    """Per kind of bad input: statuses and p95 through the HTTP API, around Marseille."""
    return {
        kind: run_http(
            backend_name,
            [{"code_commune": "13055", "q": words}] * BAD_INPUT_REPEATS,
            "/api/v1/search/services",
            warmup=1,
        )
        for kind, words in BAD_INPUTS.items()
    }


def unique_word(number):
    """A word no service contains, made of letters only (French analysis keeps it whole)."""
    letters = ""
    while True:
        number, rest = divmod(number, 26)
        letters += "abcdefghijklmnopqrstuvwxyz"[rest]
        if not number:
            return f"zqx{letters}"


def run_edits_until_visible(count):
    """Edits `count` services one by one (each its own transaction, as in the admin) and times
    how long until a search on Elasticsearch finds the new wording."""
    settings.SEARCH_BACKEND = elasticsearch.NAME  # the catalogue then feeds its outbox
    services = Service.objects.publies().select_related("structure").order_by("?")[:count]
    durations = []
    for number, service in enumerate(services):
        word = unique_word(number)
        query = to_query({"q": word})
        start = time.perf_counter()
        service.nom = f"{service.nom[:120]} {word}"
        service.save()
        while elasticsearch.search(query).total == 0:
            if time.perf_counter() - start > EDIT_TIMEOUT_S:
                raise RuntimeError(
                    f"modification de {service.pk} invisible après {EDIT_TIMEOUT_S} s"
                )
            time.sleep(0.01)
        durations.append(time.perf_counter() - start)
    return stats(durations)


def to_query(params):
    data = QueryDict(mutable=True)
    data.update(params)
    form = SearchForm(data)
    if not form.is_valid():
        raise ValueError(f"requête du mélange invalide : {params} {form.errors}")
    return form.to_query()


def main():
    settings.SEARCH_BACKEND = elasticsearch.NAME
    elasticsearch.client().cluster.health(wait_for_status="yellow", timeout="30s")
    prepare_catalogue()
    log("index base de données…")
    _, database_index_s, database_index_cpu_s = cpu_timed(sync.rebuild_database_index)
    log("index Elasticsearch (nouvel index + bascule d'alias)…")
    load_before_reindex = os.getloadavg()
    indexed, reindex_s, reindex_cpu_s = cpu_timed(sync.reindex_elasticsearch)
    settle_database()
    params_list = query_mix(QUERIES, DEMO_DEPARTEMENTS, seed=2026)
    queries = [to_query(params) for params in params_list]

    report = {
        "date": datetime.now().isoformat(timespec="seconds"),
        "machine": machine(),
        "catalogue": {"services": SERVICES, "searchable": indexed, "queries": len(queries)},
        "index_seconds": {
            "database": round(database_index_s, 1),
            "elasticsearch": round(reindex_s, 1),
        },
        # This process only (Elasticsearch's own CPU is not counted): comparable across runs
        # when the wall times are not (other users of the machine, see its load averages).
        "index_cpu_seconds": {
            "database": round(database_index_cpu_s, 1),
            "elasticsearch": round(reindex_cpu_s, 1),
        },
        "load_average_before_reindex": load_before_reindex,
        "service_layer": {},
        "http_api": {},
        "http_page": {},
    }
    for backend in (b for b in (elasticsearch, database) if b.NAME in BACKENDS):
        log(f"{backend.NAME} : couche service…")
        report["service_layer"][backend.NAME] = run_service_layer(backend, queries)
        log(f"{backend.NAME} : HTTP…")
        report["http_api"][backend.NAME] = run_http(
            backend.NAME, params_list, "/api/v1/search/services"
        )
        report["http_page"][backend.NAME] = run_http(backend.NAME, params_list[:200], "/recherche/")
        report.setdefault("bad_input", {})[backend.NAME] = run_bad_inputs(backend.NAME)
    log(f"{EDITS} modifications jusqu'à leur visibilité dans Elasticsearch…")
    report["edit_visible"] = run_edits_until_visible(EDITS)
    if len(BACKENDS) == 2:
        report["ratio_es_over_db_p95"] = {
            layer: round(
                report[layer]["elasticsearch"]["p95_ms"] / report[layer]["database"]["p95_ms"], 2
            )
            for layer in ("service_layer", "http_api", "http_page")
        }
    vendor = connection.vendor
    write_results("search" if vendor == "sqlite" else f"search-{vendor}", report)


if __name__ == "__main__":
    main()
