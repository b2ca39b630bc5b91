from django.core.management.base import BaseCommand

from prescription import services


class Command(BaseCommand):
    help = (
        "Relance les structures à J+10, fait expirer les prescriptions sans réponse à J+30 et "
        "anonymise les prescriptions closes depuis la durée de conservation. Idempotent : à "
        "lancer toutes les quelques minutes."
    )

    def handle(self, **options):
        counts = services.tick()
        self.stdout.write(
            f"{counts['relances']} relances, {counts['expirees']} expirations, "
            f"{counts['anonymisees']} anonymisations."
        )
