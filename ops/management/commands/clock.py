import logging
import subprocess
import time
from datetime import UTC, datetime

from django.core.management.base import BaseCommand

from ops import schedule

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "L'horloge : lance les tâches périodiques de cron.json (heures UTC), chacune dans son "
        "propre processus, jamais deux fois à la fois (une exécution encore en cours saute son "
        "tour). Inutile là où la plateforme exécute cron.json elle-même (Scalingo)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=15.0, metavar="SECONDES")

    def handle(self, interval, **options):
        self.jobs = schedule.jobs()
        self.running = {}  # job name → its process
        logger.info("Horloge : %d tâches (%s).", len(self.jobs),
                    ", ".join(job.name for job in self.jobs))  # fmt: skip
        since = datetime.now(UTC)
        while True:
            time.sleep(interval)
            until = datetime.now(UTC)
            self.run_due(since, until)
            since = until

    def run_due(self, since, until):
        """Starts the jobs due in (since, until]; returns the processes started."""
        started = []
        for job in schedule.due(self.jobs, since, until):
            previous = self.running.get(job.name)
            if previous is not None and previous.poll() is None:
                logger.warning("%s encore en cours : ce tour est sauté.", job.name)
                continue
            if previous is not None and previous.returncode:
                logger.error("%s avait échoué (code %d).", job.name, previous.returncode)
            logger.info("Lancement de %s.", job.command)
            self.running[job.name] = process = subprocess.Popen(job.argv())  # noqa: S603
            started.append(process)
        return started
