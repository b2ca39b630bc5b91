from django.core.management.base import BaseCommand

from accounts import connexions


class Command(BaseCommand):
    help = "Supprime les tentatives de connexion plus anciennes que la durée de conservation."

    def handle(self, *args, **options):
        self.stdout.write(f"{connexions.purge()} enregistrement(s) supprimé(s).")
