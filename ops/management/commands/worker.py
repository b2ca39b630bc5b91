import logging

from django.core.management.base import BaseCommand
from django.utils.crypto import get_random_string

from django_tasks_db.management.commands.db_worker import Worker

from config import mail
from ops.loop import beat, forever
from search import sync
from search.management.commands.search_sync import FAILURES as SEARCH_FAILURES

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Le worker : exécute les tâches en attente (courriels, rappels ; Django tasks, "
        "django-tasks-db), applique l'outbox de la recherche à Elasticsearch et note son signe "
        "de vie pour /healthz, toutes les --interval secondes. Survit à un redémarrage de "
        "PostgreSQL ou d'Elasticsearch ; SIGTERM : finit la tâche en cours puis s'arrête."
    )

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=2.0, metavar="SECONDES")
        parser.add_argument(
            "--once", action="store_true", help="Un seul passage (ce qui est prêt), puis sort."
        )

    def handle(self, interval, once, **options):
        self.tasks = Worker(
            queue_names=["*"], interval=0, batch=True, backend_name=mail.BACKEND,
            startup_delay=False, max_tasks=None, worker_id=get_random_string(32),
            excluded_queue_names=[],
        )  # fmt: skip
        if once:
            self.step()
            return
        self.tasks.configure_signals()
        forever(self.step, interval, running=lambda: self.tasks.running)

    def step(self):
        """Runs every task that is ready (including retries now due), then the search outbox,
        then records the heartbeat."""
        self.tasks.run()
        try:
            sync.sync_pending()
        except SEARCH_FAILURES as error:
            logger.warning("Elasticsearch indisponible (%s) : l'outbox attend.", error)
        beat("worker")
