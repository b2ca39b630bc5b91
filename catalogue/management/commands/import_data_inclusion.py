import sys

from django.core.management.base import BaseCommand, CommandError

from tqdm import tqdm

from catalogue import importer
from catalogue.models import RapportImport


class Command(BaseCommand):
    help = (
        "Importe des structures et services data·inclusion v1 (JSON Lines, tableau JSON, ou "
        "modèle de saisie en CSV). Idempotent par `id` ; un enregistrement inchangé est sauté ; "
        "un enregistrement invalide est rejeté en entier et signalé. Chaque import laisse un "
        "rapport, visible dans l'administration."
    )

    def add_arguments(self, parser):
        parser.add_argument("--structures", help="Fichier des structures")
        parser.add_argument("--services", help="Fichier des services")
        parser.add_argument(
            "--source", help="Source des enregistrements qui n'en indiquent pas (modèle de saisie)"
        )
        parser.add_argument(
            "--export-complet",
            action="store_true",
            help="Les fichiers sont l'export complet de leurs sources : leurs structures et "
            "services absents sont suspendus (jamais supprimés), au plus "
            "IMPORT_MAX_SUSPENDED_SHARE des enregistrements publiés d'une source.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Avec --export-complet : suspendre même au-delà de cette part.",
        )

    def handle(self, *args, structures=None, services=None, **options):
        if not structures and not services:
            raise CommandError("Indiquez --structures FICHIER et/ou --services FICHIER.")
        settings = {
            "source": options["source"],
            "full_export": options["export_complet"],
            "force": options["force"],
            "progress": self._progress_bar(),
        }
        reports = []
        if structures:
            reports.append(importer.import_structures(structures, **settings))
        if services:
            reports.append(importer.import_services(services, **settings))
        for report in reports:
            self._print(report)
        failed = [
            r for r in reports if r.rejetes or r.erreur or r.etat != RapportImport.Etat.TERMINE
        ]
        if failed:
            raise CommandError(
                "Import incomplet : voir les rapports ci-dessus (et dans l'administration)."
            )

    def _print(self, report):
        for warning in report.avertissements:
            self.stderr.write(f"{report.fichier} : {warning}")
        for rejet in report.rejets:
            self.stderr.write(
                f"{report.fichier} : {rejet['position']} (id={rejet['id'] or '?'}) : "
                f"{rejet['champ']} : {rejet['message']}"
            )
        if report.rejetes > len({r["position"] for r in report.rejets}):
            self.stderr.write("… (les rejets suivants ne sont comptés que dans le total)")
        if report.erreur:
            self.stderr.write(f"{report.fichier} : {report.erreur}")
        self.stdout.write(
            f"{report.nature} : {report.crees} créé(s), {report.mis_a_jour} mis à jour, "
            f"{report.inchanges} inchangé(s), {report.suspendus} suspendu(s), "
            f"{report.rejetes} rejeté(s) — {report.get_etat_display()}."
        )

    def _progress_bar(self):
        interactive = sys.stderr.isatty()

        def progress(iterable, desc):
            return tqdm(iterable, desc=desc, unit=" enr.", disable=not interactive, file=sys.stderr)

        return progress
