"""`make bench-relevance`: the labelled query set on both backends, through the search API.

    make bench-relevance                                  (bench/relevance/queries.csv)
    make bench-relevance RELEVANCE_QUERIES=path.csv       (another set, same columns)
    RELEVANCE_STRICT=1 make bench-relevance               (exits 1 when a target is missed)

Builds its own database (var/bench-relevance.sqlite3) and index alias with the demo catalogue
(`load_demo`, default seed and sizes), indexes it in both backends, then, for each backend and
each (query, place) pair, reads every page of `GET /api/v1/search/services?code_commune=…&q=…`
as a logged-in professional. The relevant services of a pair are those the same API returns at
the same place for the judged thématiques without words. Writes
bench/results/relevance-<date>.json (relevance-<file name>-<date>.json for another set; per
backend: zero-result rate, recall, precision@5, nDCG@10, the 20 worst pairs and every pair) and prints a
table.
"""

import os
import sys
from datetime import datetime
from pathlib import Path

import django

import time_machine

DATABASE = Path("var/bench-relevance.sqlite3").resolve()
STRICT = os.environ.get("RELEVANCE_STRICT") == "1"
RELEVANCE_DATE = os.environ.get("RELEVANCE_DATE", "2026-11-29T12:00:00+00:00")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
os.environ["DATABASE_URL"] = f"sqlite:///{DATABASE}"
os.environ.setdefault("RELEVANCE_INDEX_ALIAS", "bench-relevance-portail-services")
os.environ["SEARCH_INDEX_ALIAS"] = os.environ["RELEVANCE_INDEX_ALIAS"]
django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client  # noqa: E402

from bench.common import fresh_catalogue, log, machine, write_results  # noqa: E402
from bench.relevance import metrics  # noqa: E402
from bench.relevance.pairs import QUERIES, read_pairs  # noqa: E402
from catalogue.models import Service  # noqa: E402
from search.backends import database, elasticsearch  # noqa: E402
from search.query import MAX_SIZE  # noqa: E402
from territoires import services as territoires  # noqa: E402

API = "/api/v1/search/services"


def search_ids(client, backend, params):
    """The ids of every service the API returns for `params`, in its order (every page)."""
    ids, page = [], 1
    while True:
        response = client.get(API, params | {"size": MAX_SIZE, "page": page})
        if response.status_code != 200 or response["X-Search-Backend"] != backend:
            raise RuntimeError(
                f"{params} : HTTP {response.status_code} par {response.get('X-Search-Backend')}"
            )
        body = response.json()
        ids += [item["service"]["id"] for item in body["items"]]
        if page >= body["pages"]:
            return ids
        page += 1


def run_backend(client, backend, pairs):
    """One metrics line per pair (`metrics.pair_metrics` with the query and the place)."""
    settings.SEARCH_BACKEND = backend
    relevant_by_judgement = {}
    lines = []
    for pair in pairs:
        key = (pair.code_commune, pair.thematiques)
        if key not in relevant_by_judgement:
            params = {"code_commune": pair.code_commune, "thematiques": ",".join(pair.thematiques)}
            relevant_by_judgement[key] = set(search_ids(client, backend, params))
        returned = search_ids(client, backend, {"code_commune": pair.code_commune, "q": pair.query})
        place = territoires.get_commune(pair.code_commune).nom
        line = {"query": pair.query, "place": f"{place} ({pair.code_commune})"}
        lines.append(line | metrics.pair_metrics(returned, relevant_by_judgement[key]))
    return lines


def table(report):
    header = f"{'moteur':<14}{'paires':>8}{'zéro rés.':>11}{'rappel':>9}{'p@5':>8}{'nDCG@10':>9}"
    rows = [header]
    for backend, result in report["backends"].items():
        figures = result["summary"]
        rows.append(
            f"{backend:<14}{figures['pairs_with_relevant']:>8}"
            f"{figures.get('zero_result_rate', 0):>11.1%}{figures.get('recall', 0):>9.3f}"
            f"{figures.get('precision_at_5', 0):>8.3f}{figures.get('ndcg_at_10', 0):>9.3f}"
        )
    return "\n".join(rows) + "\n"


def shown(path):
    """The path from the repository when it lies inside it (the default set), else as given."""
    path = path.resolve()
    return path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path


def professional_client():
    """A client logged in as a conseiller (any signed-in user searches as a professional)."""
    user, _ = get_user_model().objects.get_or_create(
        email="conseillere@bench-relevance.example.org",
        defaults={"first_name": "Claire", "last_name": "Conseillère"},
    )
    client = Client()
    client.force_login(user)
    return client


def main():
    elasticsearch.client().cluster.health(wait_for_status="yellow", timeout="30s")
    log("catalogue de démonstration et index…")
    fresh_catalogue(DATABASE)
    territoires.preload()
    queries = Path(os.environ.get("RELEVANCE_QUERIES") or QUERIES)
    try:
        pairs = read_pairs(queries)
    except ValueError as error:
        sys.exit(str(error))
    client = professional_client()
    report = {
        "date": datetime.now().isoformat(timespec="seconds"),
        "machine": machine(),
        "catalogue": {"published_services": Service.objects.publies().count()},
        "queries": str(shown(queries)),
        "targets": metrics.TARGETS,
        "backends": {},
    }
    for backend in (database.NAME, elasticsearch.NAME):
        log(f"{backend} : {len(pairs)} paires…")
        lines = run_backend(client, backend, pairs)
        figures = metrics.summary(lines)
        report["backends"][backend] = {
            "summary": figures,
            "missed_targets": metrics.missed_targets(figures),
            "worst": metrics.worst(lines),
            "pairs": lines,
        }
    default = queries.resolve() == QUERIES.resolve()
    write_results("relevance" if default else f"relevance-{queries.stem}", report)
    sys.stdout.write(table(report))
    missed = any(result["missed_targets"] for result in report["backends"].values())
    sys.exit(1 if STRICT and missed else 0)


if __name__ == "__main__":
    # The demo's services are dated from 2026-11-01; hidden ones (12 months) rank last: a fixed
    # day keeps the figures from drifting with the calendar.
    with time_machine.travel(datetime.fromisoformat(RELEVANCE_DATE), tick=True):
        main()
