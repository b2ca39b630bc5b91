from django.core.management.base import BaseCommand

from accounts.models import ApiToken


class Command(BaseCommand):
    help = "Crée un jeton d'API (enregistrements complets de l'API ouverte) et l'affiche une fois."

    def add_arguments(self, parser):
        parser.add_argument("nom", help="À qui le jeton est délivré.")

    def handle(self, nom, **options):
        token, key = ApiToken.issue(nom)
        self.stdout.write(f"Jeton « {token} » créé. Clé (affichée une seule fois) :\n{key}")
        self.stdout.write("En-tête à envoyer : Authorization: Token <clé>")
