import time

from django.core.management.base import BaseCommand, CommandError

from search import sync
from search.backends.elasticsearch import SyncError
from search.services import ELASTICSEARCH_FAILURES


class Command(BaseCommand):
    help = "Applique à Elasticsearch les modifications du catalogue en attente (outbox)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--loop",
            type=float,
            metavar="SECONDES",
            help="Continue indéfiniment, en vérifiant toutes les SECONDES (worker).",
        )

    def handle(self, loop=None, **options):
        while True:
            try:
                applied = sync.sync_pending()
            except (*ELASTICSEARCH_FAILURES, SyncError) as error:
                if loop is None:
                    raise CommandError(
                        f"Elasticsearch indisponible ({error}) : "
                        f"{sync.pending().count()} modifications restent en attente."
                    ) from error
                self.stderr.write(f"Elasticsearch indisponible ({error}), nouvel essai.")
                applied = 0
            if applied or loop is None:
                purged = sync.purge_processed()
                self.stdout.write(
                    f"{applied} modifications appliquées, {sync.pending().count()} en attente, "
                    f"{purged} anciennes purgées."
                )
            if loop is None:
                return
            time.sleep(loop)
