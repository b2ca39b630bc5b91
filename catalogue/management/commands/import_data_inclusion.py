import sys

from django.core.management.base import BaseCommand, CommandError

from tqdm import tqdm

from catalogue import importer


class Command(BaseCommand):
    help = (
        "Importe des structures et services data·inclusion v1 (tableau JSON ou JSON Lines). "
        "Idempotent par `id` ; un enregistrement invalide est rejeté en entier et signalé."
    )

    def add_arguments(self, parser):
        parser.add_argument("--structures", help="Fichier des structures")
        parser.add_argument("--services", help="Fichier des services")

    def handle(self, *args, structures=None, services=None, **options):
        if not structures and not services:
            raise CommandError("Indiquez --structures FICHIER et/ou --services FICHIER.")
        progress = self._progress_bar()
        reports = []
        try:
            if structures:
                reports.append(("structures", importer.import_structures(structures, progress)))
            if services:
                reports.append(("services", importer.import_services(services, progress)))
        except importer.ImportFileError as error:
            raise CommandError(str(error)) from error
        rejected = 0
        for label, report in reports:
            for rejection in report.rejections:
                self.stderr.write(str(rejection))
            rejected += report.rejected_records
            self.stdout.write(
                f"{label} : {report.imported} importé(s), {report.rejected_records} rejeté(s)."
            )
        if rejected:
            raise CommandError(
                f"{rejected} enregistrement(s) rejeté(s) : voir les lignes ci-dessus."
            )

    def _progress_bar(self):
        interactive = sys.stderr.isatty()

        def progress(iterable, desc):
            return tqdm(iterable, desc=desc, unit=" enr.", disable=not interactive, file=sys.stderr)

        return progress
