"""`/healthz`: is each part the portal needs working? 200 when all are, 503 naming the failing
ones. Says nothing about the data (no personal data, no error message: the failure's kind)."""

from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.http import JsonResponse
from django.tasks import task_backends
from django.utils import timezone
from django.views.decorators.cache import never_cache

from config import mail
from ops.models import Heartbeat
from search.backends import elasticsearch
from search.services import elasticsearch_enabled

OK = "ok"


def database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return OK


def search_engine():
    """Elasticsearch when it is the search backend (its cluster at least yellow)."""
    if not elasticsearch_enabled():
        return "non utilisé"
    health = elasticsearch.client().cluster.health(timeout="2s")
    if health["status"] == "red":
        return None
    return OK


def cache_works():
    cache.set("healthz", 1, 10)
    return OK if cache.get("healthz") == 1 else None


def worker():
    """The worker beat less than WORKER_HEARTBEAT_MAX_AGE seconds ago; not used when the tasks
    run in the request (TASKS_BACKEND immediate: `make run`)."""
    if not task_backends[mail.BACKEND].supports_defer:
        return "non utilisé"
    since = timezone.now() - timedelta(seconds=settings.WORKER_HEARTBEAT_MAX_AGE)
    return OK if Heartbeat.objects.filter(process="worker", beat_at__gte=since).exists() else None


CHECKS = {"database": database, "elasticsearch": search_engine, "cache": cache_works,
          "worker": worker}  # fmt: skip


def run(check):
    """ "ok" (or a word saying the part is not used), else "erreur" with the failure's kind."""
    try:
        result = check()
    except Exception as error:  # noqa: BLE001 — any failure is the part failing
        return f"erreur ({type(error).__name__})"
    return result or "erreur"


@never_cache
@transaction.non_atomic_requests  # a database down must not fail the request before the view
def healthz(request):
    """{"status": "ok" | "erreur", "checks": {part: "ok" | "non utilisé" | "erreur (…)"}}."""
    results = {name: run(check) for name, check in CHECKS.items()}
    failing = any(result.startswith("erreur") for result in results.values())
    return JsonResponse(
        {"status": "erreur" if failing else OK, "checks": results}, status=503 if failing else 200
    )
