from datetime import datetime
from pathlib import Path

from django.core.management.base import BaseCommand

from ops import backup


class Command(BaseCommand):
    help = (
        "Sauvegarde PostgreSQL : pg_dump (format custom) dans --dossier, et le nombre de lignes "
        "de chaque table lu dans le même instantané (<fichier>.counts.json), pour l'exercice "
        "de restauration (restore_drill)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dossier", type=Path, default=Path("var/sauvegardes"))

    def handle(self, dossier, **options):
        dossier.mkdir(parents=True, exist_ok=True)
        dump = dossier / f"portail-{datetime.now():%Y%m%d-%H%M%S}.dump"
        counts = backup.backup(dump)
        self.stdout.write(f"{dump} : {len(counts)} tables, {sum(counts.values())} lignes.")
