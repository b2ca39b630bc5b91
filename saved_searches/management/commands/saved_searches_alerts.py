from django.core.management.base import BaseCommand

from saved_searches import services


class Command(BaseCommand):
    help = (
        "Envoie à chaque recherche enregistrée dont l'alerte est due les services nouveaux ou "
        "mis à jour depuis la précédente (rien sans nouveauté). Idempotent : à lancer chaque jour."
    )

    def handle(self, **options):
        sent = services.send_alerts()
        self.stdout.write(f"{sent} alerte(s) envoyée(s).")
