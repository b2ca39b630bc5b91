from django.core.management.base import BaseCommand

from search import lexique
from search.models import SynonymGroup


class Command(BaseCommand):
    help = (
        "Charge le lexique de la recherche (search/data/lexique.csv) : crée les entrées qui "
        "manquent, garde celles modifiées dans l'admin sauf avec --remplacer."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--remplacer",
            action="store_true",
            help="Réécrit aussi, depuis le fichier, les entrées déjà présentes.",
        )

    def handle(self, remplacer=False, **options):
        counts = lexique.load_rows(SynonymGroup, lexique.read_rows(), replace=remplacer)
        lexique.clear()
        self.stdout.write(
            f"Lexique : {counts['created']} entrées créées, {counts['replaced']} remplacées, "
            f"{counts['kept']} inchangées."
        )
