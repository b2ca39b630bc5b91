from django.core.management.base import BaseCommand

from fiche_relais import services


class Command(BaseCommand):
    help = (
        "Alerte la coordination SPIE des fiches relais envoyées et non prises en charge après "
        "FICHE_RELAIS_ALERT_DAYS jours. Idempotent : à lancer chaque jour ou plus souvent."
    )

    def handle(self, **options):
        self.stdout.write(f"{services.alert_coordination()} alertes envoyées.")
