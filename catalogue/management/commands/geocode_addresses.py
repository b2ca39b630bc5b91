from django.conf import settings
from django.core.management.base import BaseCommand

from catalogue import positions
from catalogue.models import Service, Structure


class Command(BaseCommand):
    help = (
        "Géocode à l'adresse (Base adresse nationale) les structures et services placés à leur "
        "commune faute de mieux ; la précision passe à « adresse » quand la BAN répond."
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, help="Au plus ce nombre par type")

    def handle(self, *args, limit=None, **options):
        if settings.GEOCODER != "ban":
            self.stdout.write(
                "Géocodeur hors ligne (GEOCODER=communes) : les positions ne peuvent pas être "
                "améliorées. Réglez GEOCODER=ban."
            )
            return
        for label, model in (("structures", Structure), ("services", Service)):
            tried, upgraded = positions.upgrade(model, limit)
            self.stdout.write(f"{label} : {upgraded} position(s) améliorée(s) sur {tried}.")
