from django.core.management.base import BaseCommand

from actualisation import services


class Command(BaseCommand):
    help = (
        "Envoie le rappel mensuel aux structures dont des services sont à confirmer (une fois "
        "par mois : à lancer chaque jour) ; efface les adresses des auteurs de signalements "
        "ouverts depuis plus de 6 mois."
    )

    def handle(self, *args, **options):
        sent = services.send_digests()
        self.stdout.write(f"{sent} rappel(s) envoyé(s).")
        forgotten = services.forget_reporters()
        self.stdout.write(f"{forgotten} adresse(s) d'auteurs de signalements effacée(s).")
