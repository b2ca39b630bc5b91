from django.core.management.base import BaseCommand

from territoires import services
from territoires.loading import load_territoires
from territoires.models import AncienneCommune, Commune


class Command(BaseCommand):
    help = "Charge (ou met à jour) les régions, départements, EPCI, communes et codes postaux."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Ne fait rien si les communes et les anciennes communes sont déjà chargées.",
        )

    def handle(self, *args, if_empty=False, **options):
        if if_empty and Commune.objects.exists() and AncienneCommune.objects.exists():
            self.stdout.write("Territoires déjà chargés.")
            return
        counts = load_territoires()
        services.clear_caches()
        summary = ", ".join(f"{count} {label}" for label, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Territoires chargés : {summary}."))
