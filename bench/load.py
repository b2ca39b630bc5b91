"""`make bench-load`: 8 clients for 60 s against gunicorn on 127.0.0.1, on the search API and
the search page (Elasticsearch backend), with 0 errors expected.

Loads a demo catalogue into its own database (var/bench-load.sqlite3) and index alias, starts
gunicorn (2 workers: one per core), then 8 client threads, each with its own keep-alive
connection, replay the bench query mix (2 API calls for 1 page). Records requests, errors,
p50/p95/p99 per kind, requests a second, and each worker's resident memory after the run.
Writes bench/results/load-<date>.json; exits non-zero on any error.
"""

import http.client
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import django

DATABASE = Path("var/bench-load.sqlite3").resolve()
PORT = 8765
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
os.environ["DATABASE_URL"] = f"sqlite:///{DATABASE}"
os.environ["SEARCH_INDEX_ALIAS"] = "bench-load-portail-services"
django.setup()

from django.core.management import call_command  # noqa: E402

from bench.common import fresh_database, log, machine, write_results  # noqa: E402
from bench.querymix import query_mix  # noqa: E402
from catalogue.demo import DEMO_DEPARTEMENTS  # noqa: E402
from search.backends import elasticsearch  # noqa: E402

CLIENTS = int(os.environ.get("BENCH_LOAD_CLIENTS", 8))
SECONDS = float(os.environ.get("BENCH_LOAD_SECONDS", 60))
SERVICES = int(os.environ.get("BENCH_LOAD_SERVICES", 5000))
WORKERS = 2


def fresh_catalogue():
    fresh_database(DATABASE)
    call_command(
        "load_demo", structures=SERVICES // 10, services=SERVICES, no_accounts=True, verbosity=0
    )
    elasticsearch.drop_all()
    call_command("search_reindex", verbosity=0)


def start_gunicorn():
    command = [
        sys.executable, "-m", "gunicorn", "config.wsgi", "--workers", str(WORKERS),
        "--bind", f"127.0.0.1:{PORT}", "--keep-alive", "75", "--log-level", "warning",
    ]  # fmt: skip
    env = os.environ | {"SEARCH_BACKEND": "elasticsearch", "SEARCH_API_RATE_LIMIT": "0"}
    server = subprocess.Popen(command, env=env)  # noqa: S603
    for _ in range(100):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
            connection.request("GET", "/api/v1/search/services")
            connection.getresponse().read()
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("gunicorn ne répond pas.")


def client(requests, deadline, results):
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    index = 0
    while time.perf_counter() < deadline:
        kind, url = requests[index % len(requests)]
        index += 1
        start = time.perf_counter()
        try:
            connection.request("GET", url)
            response = connection.getresponse()
            response.read()
            ok = response.status == 200
        except (OSError, http.client.HTTPException):
            ok = False
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        results.append((kind, time.perf_counter() - start, ok))


def worker_rss_mb(server):
    """Resident memory of each gunicorn worker (the children of the arbiter)."""
    sizes = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if fields.get("PPid", "").strip() == str(server.pid):
            sizes.append(round(int(fields["VmRSS"].split()[0]) / 1024))
    return sorted(sizes)


def summary(durations):
    ordered = sorted(durations)

    def percentile(fraction):
        return round(ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] * 1000, 1)

    return {"requests": len(ordered), "p50_ms": percentile(0.5), "p95_ms": percentile(0.95),
            "p99_ms": percentile(0.99), "mean_ms": round(statistics.fmean(ordered) * 1000, 1)}  # fmt: skip


def main():
    log(f"catalogue ({SERVICES} services) et index…")
    fresh_catalogue()
    info = machine()
    mix = query_mix(300, DEMO_DEPARTEMENTS, seed=2026)
    requests = []
    for number, params in enumerate(mix):
        kind = "page" if number % 3 == 2 else "api"
        path = "/recherche/" if kind == "page" else "/api/v1/search/services"
        requests.append((kind, f"{path}?{urlencode(params)}"))
    server = start_gunicorn()
    try:
        log(f"{CLIENTS} clients pendant {SECONDS:.0f} s…")
        results, deadline = [], time.perf_counter() + SECONDS
        threads = [
            threading.Thread(target=client, args=(requests[i:] + requests[:i], deadline, results))
            for i in range(0, CLIENTS * 37, 37)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        rss = worker_rss_mb(server)
    finally:
        server.terminate()
        server.wait()
    errors = sum(not ok for _, _, ok in results)
    report = {
        "machine": info,
        "catalogue_services": SERVICES,
        "clients": CLIENTS,
        "seconds": SECONDS,
        "gunicorn_workers": WORKERS,
        "requests": len(results),
        "errors": errors,
        "requests_per_second": round(len(results) / SECONDS, 1),
        "api": summary([d for kind, d, _ in results if kind == "api"]),
        "page": summary([d for kind, d, _ in results if kind == "page"]),
        "worker_rss_mb_after": rss,
    }
    write_results("load", report)
    sys.exit(1 if errors or not results else 0)


if __name__ == "__main__":
    main()
