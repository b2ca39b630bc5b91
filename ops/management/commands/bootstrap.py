import secrets
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from wagtail.models import Site

from pages.demo import create_editorial_pages


class Command(BaseCommand):
    help = (
        "Premier déploiement, sans données de démonstration : territoires (s'ils manquent), "
        "site Wagtail à l'adresse de WAGTAILADMIN_BASE_URL, pages éditoriales (accueil, livret "
        "d'accueil, lexique) et premier gestionnaire (super-utilisateur ; mot de passe affiché "
        "une seule fois). Idempotent : relancé, ne change que ce qui manque."
    )

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True, help="Courriel du premier gestionnaire.")
        parser.add_argument("--prenom", default="")
        parser.add_argument("--nom", default="")

    def handle(self, email, prenom, nom, **options):
        email = email.strip().lower()
        call_command("load_territoires", if_empty=True, stdout=self.stdout)
        with transaction.atomic():
            site = self.site()
            password = self.gestionnaire(email, prenom, nom)
        self.stdout.write(
            f"Site : {site.hostname}:{site.port}, page d'accueil « {site.root_page} »."
        )
        if password:
            self.stdout.write(f"Gestionnaire créé : {email} / {password} (affiché une seule fois).")
        else:
            self.stdout.write(f"Gestionnaire : {email} existait déjà (mot de passe inchangé).")

    def site(self):
        """The default site, rooted at the home page, answering at WAGTAILADMIN_BASE_URL."""
        home = create_editorial_pages()
        address = urlsplit(settings.WAGTAILADMIN_BASE_URL)
        site = Site.objects.get(is_default_site=True)
        site.hostname = address.hostname
        site.port = address.port or (443 if address.scheme == "https" else 80)
        site.site_name = settings.WAGTAIL_SITE_NAME
        site.root_page = home
        site.save()
        return site

    def gestionnaire(self, email, first_name, last_name):
        """Makes `email` a gestionnaire (super-utilisateur); the password when it was created."""
        User = get_user_model()
        user = User.objects.filter(email__iexact=email).first()
        if user is not None:
            User.objects.filter(pk=user.pk).update(is_superuser=True, is_staff=True, is_active=True)
            return None
        password = secrets.token_urlsafe(16)
        User.objects.create_superuser(
            email=email, password=password, first_name=first_name, last_name=last_name
        )
        return password
