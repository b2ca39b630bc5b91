import secrets
import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import Coordination
from catalogue import importer
from catalogue.demo import write_demo_files
from catalogue.models import Membre, Service, Structure
from catalogue.signals import offer_imported
from pages.demo import create_editorial_pages
from territoires.models import Commune

DEMO_ACCOUNTS = [
    # email, first name, last name, superuser
    ("professionnel@demo.spie.fr", "Paule", "Prescriptrice", False),
    ("structure@demo.spie.fr", "Simon", "Structure", False),
    ("coordination@demo.spie.fr", "Corinne", "Coordination", False),
    ("admin@demo.spie.fr", "Alice", "Administratrice", True),
]


class Command(BaseCommand):
    help = (
        "Crée un catalogue de démonstration réaliste et déterministe (Bouches-du-Rhône, Ardèche, "
        "Tarn, Bas-Rhin), les pages éditoriales et des comptes de démonstration."
    )

    def add_arguments(self, parser):
        parser.add_argument("--structures", type=int, default=300)
        parser.add_argument("--services", type=int, default=1500)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Ne fait rien si le catalogue a déjà des services.",
        )
        parser.add_argument(
            "--output",
            type=Path,
            help="Conserve les fichiers data·inclusion générés dans ce dossier.",
        )
        parser.add_argument(
            "--no-accounts", action="store_true", help="Ne crée pas les comptes de démonstration."
        )

    def handle(self, *args, **options):
        if options["if_empty"] and Service.objects.exists():
            self.stdout.write("Catalogue déjà chargé.")
            return
        if not Commune.objects.exists():
            raise CommandError(
                "Aucune commune : lancez d'abord `python manage.py load_territoires`."
            )
        with tempfile.TemporaryDirectory() as tmp:
            directory = options["output"] or Path(tmp)
            directory.mkdir(parents=True, exist_ok=True)
            structures_path, services_path, statuts = write_demo_files(
                directory, options["structures"], options["services"], options["seed"]
            )
            structures = importer.import_structures(structures_path)
            services = importer.import_services(services_path)
        rejections = [
            f"{rejet['position']} : {rejet['champ']} : {rejet['message']}"
            for report in (structures, services)
            for rejet in report.rejets
        ]
        if rejections:
            raise CommandError(
                "Le générateur a produit des données invalides :\n" + "\n".join(rejections)
            )
        self._apply_statuts(statuts)
        create_editorial_pages()
        self.stdout.write(
            self.style.SUCCESS(
                f"Démo : {structures.importes} structures, {services.importes} services "
                f"({sum(s != 'publie' for s in statuts.values())} non publiés)."
            )
        )
        if not options["no_accounts"]:
            self._create_accounts()

    @transaction.atomic
    def _apply_statuts(self, statuts):
        for statut in (Service.Statut.BROUILLON, Service.Statut.SUSPENDU):
            identifiants = [identifiant for identifiant, s in statuts.items() if s == statut]
            for start in range(0, len(identifiants), 5000):
                chunk = identifiants[start : start + 5000]
                Service.objects.filter(identifiant__in=chunk).update(statut=statut)
                offer_imported.send(sender=Service, identifiants=chunk)

    def _create_accounts(self):
        User = get_user_model()
        credentials = []
        for email, first_name, last_name, superuser in DEMO_ACCOUNTS:
            if User.objects.filter(email=email).exists():
                continue
            password = secrets.token_urlsafe(12)
            create = User.objects.create_superuser if superuser else User.objects.create_user
            create(email=email, password=password, first_name=first_name, last_name=last_name)
            credentials.append((email, password))
        structures = list(Structure.objects.order_by("pk")[:2])
        structure = structures[0] if structures else None
        if structure:
            Membre.objects.get_or_create(
                user=User.objects.get(email="structure@demo.spie.fr"),
                structure=structure,
                defaults={"role": Membre.Role.ADMIN},
            )
            # The professionnel works in a structure (the fiche relais needs one), another than
            # the admin's: she sends it fiches relais and sees the admin designate a référent.
            Membre.objects.get_or_create(
                user=User.objects.get(email="professionnel@demo.spie.fr"),
                structure=structures[-1],
                defaults={"role": Membre.Role.MEMBRE},
            )
        coordination, _ = Coordination.objects.get_or_create(
            nom="Coordination SPIE des Bouches-du-Rhône", defaults={"departement_id": "13"}
        )
        coordination.membres.add(User.objects.get(email="coordination@demo.spie.fr"))
        if credentials and settings.SHOW_DEMO_CREDENTIALS:
            self.stdout.write("Comptes de démonstration (affichés une seule fois) :")
            for email, password in credentials:
                self.stdout.write(f"  {email} / {password}")
            if structure:
                self.stdout.write(f"  (structure@demo.spie.fr administre « {structure} »)")
                self.stdout.write(
                    f"  (professionnel@demo.spie.fr est membre de « {structures[-1]} »)"
                )
            self.stdout.write(f"  (coordination@demo.spie.fr fait partie de « {coordination} »)")
