"""`make bench-load`: 8 connections for 60 s against gunicorn on 127.0.0.1 — 30 s on the search
API, then 30 s on the search page (Elasticsearch backend) — with 0 errors expected.

Loads a demo catalogue into its own database (var/bench-load.sqlite3) and index alias, starts
gunicorn (3 workers on the 2 cores) and drives it with wrk (2 threads, `bench/wrk.lua` replaying
the bench query mix from a different point on each connection): wrk is written in C, so the
clients take little of the 2 cores the server and Elasticsearch share. Records requests, errors,
p50/p95/p99, requests a second, and each worker's resident memory after the run. Writes
bench/results/load-<date>.json; exits non-zero on any error.

National scale without loading again: BENCH_LOAD_DATABASE=var/bench-import.sqlite3
BENCH_LOAD_ALIAS=bench-import-portail-services make bench-load (a catalogue `make bench-import`
built, already indexed).
"""

import http.client
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

import django

DATABASE = Path(os.environ.get("BENCH_LOAD_DATABASE", "var/bench-load.sqlite3")).resolve()
REUSED = "BENCH_LOAD_DATABASE" in os.environ
PORT = 8765
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
os.environ["DATABASE_URL"] = f"sqlite:///{DATABASE}"
os.environ["SEARCH_INDEX_ALIAS"] = os.environ.get("BENCH_LOAD_ALIAS", "bench-load-portail-services")
django.setup()

from bench.common import fresh_catalogue, log, machine, write_results  # noqa: E402
from bench.querymix import query_mix  # noqa: E402
from catalogue.demo import DEMO_DEPARTEMENTS  # noqa: E402
from catalogue.models import Service  # noqa: E402

CONNECTIONS = int(os.environ.get("BENCH_LOAD_CLIENTS", 8))
SECONDS = float(os.environ.get("BENCH_LOAD_SECONDS", 60))
SERVICES = int(os.environ.get("BENCH_LOAD_SERVICES", 5000))
# One per core, plus one that works while another waits for Elasticsearch (measured: 2 → 112,
# 3 → 156, 4 → 142 API requests a second at national scale).
WORKERS = 3
WARMUP_SECONDS = 5
WRK_SCRIPT = Path(__file__).with_name("wrk.lua")


def start_gunicorn():
    command = [
        sys.executable, "-m", "gunicorn", "config.wsgi", "--workers", str(WORKERS),
        "--bind", f"127.0.0.1:{PORT}", "--keep-alive", "75", "--log-level", "warning",
    ]  # fmt: skip
    env = os.environ | {"SEARCH_BACKEND": "elasticsearch", "SEARCH_API_RATE_LIMIT": "0"}
    server = subprocess.Popen(command, env=env)  # noqa: S603
    for _ in range(300):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
            connection.request("GET", "/api/v1/search/services")
            connection.getresponse().read()
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("gunicorn ne répond pas.")


def wrk(paths_file, seconds):
    """Runs wrk on the paths listed in `paths_file`; its summary (bench/wrk.lua) as a dict."""
    command = [
        "wrk", "--threads", "2", "--connections", str(CONNECTIONS), "--duration", f"{seconds:.0f}s",
        "--timeout", "30s", "--script", str(WRK_SCRIPT), f"http://127.0.0.1:{PORT}", "--", paths_file,
    ]  # fmt: skip
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    summary = json.loads(output.strip().splitlines()[-1])
    summary["requests_per_second"] = round(summary["requests"] / summary["duration_s"], 1)
    return summary


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


def paths_file(directory, path, mix):
    file = Path(directory) / f"{path.strip('/').replace('/', '-')}.txt"
    file.write_text("".join(f"{path}?{urlencode(params)}\n" for params in mix))
    return str(file)


def main():
    if REUSED:
        log(f"catalogue existant : {DATABASE}")
    else:
        log(f"catalogue ({SERVICES} services) et index…")
        fresh_catalogue(DATABASE, structures=SERVICES // 10, services=SERVICES)
    services = Service.objects.publies().count()
    info = machine()
    mix = query_mix(300, DEMO_DEPARTEMENTS, seed=2026)
    server = start_gunicorn()
    try:
        with tempfile.TemporaryDirectory() as directory:
            api = paths_file(directory, "/api/v1/search/services", mix)
            page = paths_file(directory, "/recherche/", mix)
            wrk(api, WARMUP_SECONDS)
            log(
                f"{CONNECTIONS} connexions : API {SECONDS / 2:.0f} s, puis page {SECONDS / 2:.0f} s…"
            )
            runs = {"api": wrk(api, SECONDS / 2), "page": wrk(page, SECONDS / 2)}
        rss = worker_rss_mb(server)
    finally:
        server.terminate()
        server.wait()
    errors = sum(run["non_2xx_or_3xx"] + run["socket_errors"] for run in runs.values())
    report = {
        "machine": info,
        "published_services": services,
        "connections": CONNECTIONS,
        "seconds": SECONDS,
        "gunicorn_workers": WORKERS,
        "client": "wrk 2 threads",
        "requests": sum(run["requests"] for run in runs.values()),
        "errors": errors,
        **runs,
        "worker_rss_mb_after": rss,
    }
    write_results("load" if not REUSED else "load-national", report)
    sys.exit(1 if errors or not report["requests"] else 0)


if __name__ == "__main__":
    main()
