from django.core.management.base import BaseCommand

from actualisation import services


class Command(BaseCommand):
    help = (
        "Envoie le rappel mensuel aux administrateurs des structures dont des services sont à "
        "confirmer (une fois par mois : à lancer chaque jour)."
    )

    def handle(self, *args, **options):
        sent = services.send_digests()
        self.stdout.write(f"{sent} rappel(s) envoyé(s).")
