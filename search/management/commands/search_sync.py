from django.core.management.base import BaseCommand, CommandError

from ops.loop import forever
from search import sync
from search.backends.elasticsearch import SyncError
from search.services import ELASTICSEARCH_FAILURES

FAILURES = (*ELASTICSEARCH_FAILURES, SyncError)


class Command(BaseCommand):
    help = "Applique à Elasticsearch les modifications du catalogue en attente (outbox)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--loop",
            type=float,
            metavar="SECONDES",
            help="Continue indéfiniment, en vérifiant toutes les SECONDES (worker) ; survit à "
            "un redémarrage d'Elasticsearch ou de PostgreSQL.",
        )

    def handle(self, loop=None, **options):
        if loop is not None:
            forever(lambda: self.step(report_idle=False), loop, failures=FAILURES)
            return
        try:
            self.step(report_idle=True)
        except FAILURES as error:
            raise CommandError(
                f"Elasticsearch indisponible ({error}) : "
                f"{sync.pending().count()} modifications restent en attente."
            ) from error

    def step(self, report_idle):
        """Applies the pending changes; reports them (and purges the old ones) when some were
        applied or when asked to."""
        applied = sync.sync_pending()
        if applied or report_idle:
            purged = sync.purge_processed()
            self.stdout.write(
                f"{applied} modifications appliquées, {sync.pending().count()} en attente, "
                f"{purged} anciennes purgées."
            )
