import json
from pathlib import Path

from django.core.management.base import BaseCommand

from catalogue.data_inclusion import service_record, structure_record
from catalogue.models import Service, Structure

BATCH = 2000


class Command(BaseCommand):
    help = (
        "Exporte l'offre publiée au format data·inclusion v1 : structures.json, services.json "
        "(tableaux JSON) et leurs équivalents JSON Lines, sans données personnelles (nom du "
        "contact, téléphone et courriel non publics)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", type=Path, required=True, help="Dossier de sortie.")

    def handle(self, out, **options):
        out.mkdir(parents=True, exist_ok=True)
        structures = Structure.objects.filter(est_publiee=True).order_by("pk")
        services = Service.objects.publies().select_related("structure").order_by("pk")
        counts = {
            "structures": self._write(
                out, "structures", map(structure_record, structures.iterator(BATCH))
            ),
            "services": self._write(out, "services", map(service_record, services.iterator(BATCH))),
        }
        self.stdout.write(
            f"Export data·inclusion v1 dans {out} : {counts['structures']} structures, "
            f"{counts['services']} services."
        )

    def _write(self, out, name, records):
        """Streams the records into both files; memory stays flat."""
        count = 0
        with (
            open(out / f"{name}.json", "w", encoding="utf-8") as array,
            open(out / f"{name}.jsonl", "w", encoding="utf-8") as lines,
        ):
            array.write("[")
            for record in records:
                text = json.dumps(record, ensure_ascii=False)
                array.write(("," if count else "") + "\n" + text)
                lines.write(text + "\n")
                count += 1
            array.write("\n]\n")
        return count
