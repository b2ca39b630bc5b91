from django.core.management.base import BaseCommand, CommandError

from tqdm import tqdm

from search import sync
from search.backends.elasticsearch import SyncError
from search.models import CorpusStatistics, IndexEntry, IndexOpening
from search.services import ELASTICSEARCH_FAILURES, elasticsearch_enabled


class Command(BaseCommand):
    help = (
        "Reconstruit l'index de recherche depuis le catalogue : la table de la base de données, "
        "puis, si Elasticsearch est le moteur configuré, un nouvel index mis en service par "
        "bascule d'alias (sans interruption)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Ne fait rien si l'index de la base de données contient déjà des services, leurs "
            "horaires d'ouverture et ses statistiques (poids des mots), calculées par une "
            "réindexation complète.",
        )

    def handle(self, if_empty=False, **options):
        built = (IndexEntry, IndexOpening, CorpusStatistics)
        if if_empty and all(model.objects.exists() for model in built):
            self.stdout.write("Index déjà construit : rien à faire.")
            return
        progress = tqdm if options["verbosity"] > 0 else sync.no_progress
        count = sync.rebuild_database_index(progress)
        self.stdout.write(f"Base de données : {count} services indexés.")
        if not elasticsearch_enabled():
            return
        try:
            count = sync.reindex_elasticsearch(progress)
        except (*ELASTICSEARCH_FAILURES, SyncError) as error:
            raise CommandError(f"Elasticsearch : réindexation impossible ({error}).") from error
        self.stdout.write(f"Elasticsearch : {count} services indexés, alias basculé.")
