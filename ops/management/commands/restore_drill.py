import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ops import backup


class Command(BaseCommand):
    help = (
        "Exercice de restauration : restaure la sauvegarde DUMP (commande backup) dans une base "
        "jetable du même serveur (<base>_exercice), compte les lignes de chaque table et les "
        "compare à l'inventaire de la sauvegarde, puis supprime la base jetable. Échoue si une "
        "table manque ou diffère."
    )

    def add_arguments(self, parser):
        parser.add_argument("dump", type=Path)
        parser.add_argument("--garder", action="store_true", help="Garde la base restaurée.")

    def handle(self, dump, garder, **options):
        differences = backup.restore_drill(dump, keep=garder)
        if differences:
            lines = [f"{table} : {expected} attendues, {found} restaurées"
                     for table, (expected, found) in differences.items()]  # fmt: skip
            raise CommandError("Restauration infidèle :\n" + "\n".join(lines))
        tables = len(json.loads(backup.inventory_of(dump).read_text()))
        self.stdout.write(f"Restauration fidèle : {tables} tables, mêmes nombres de lignes.")
