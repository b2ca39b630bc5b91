"""Derives `anciennes_communes.csv` from `@etalab/decoupage-administratif` 6.0.0 (see README.md).

Run once, by hand, from the repository root (no Django needed):

    npm pack @etalab/decoupage-administratif@6.0.0 --pack-destination /tmp
    tar xzf /tmp/etalab-decoupage-administratif-6.0.0.tgz -C /tmp
    python territoires/data/build_anciennes_communes.py /tmp/package/data/communes.json

Rows (UTF-8, sorted by code then name): `code_insee` (the former code), `nom` (its name, empty
when the data only lists the code in `anciensCodes`), `type` (`COMD` commune déléguée, `COMA`
commune associée, `ANC` former code), `commune` (the current commune it belongs to).
"""

import csv
import json
import sys
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent
TYPES = {"commune-deleguee": "COMD", "commune-associee": "COMA"}
FIELDS = ["code_insee", "nom", "type", "commune"]


def rows_of(records, current):
    """The former names and codes of the current communes `current` ({code: name}).

    A commune déléguée that only repeats its commune's code and name adds nothing and is left
    out; so is any code that is still a current commune's own."""
    rows = {}
    for record in records:
        kind = TYPES.get(record["type"])
        if kind is None or record["chefLieu"] not in current:
            continue
        code, parent = record["code"], record["chefLieu"]
        if code in current and (code != parent or record["nom"] == current[parent]):
            continue
        rows[code, record["nom"]] = {
            "code_insee": code, "nom": record["nom"], "type": kind, "commune": parent,
        }  # fmt: skip
    named = {code for code, _ in rows}
    for record in records:
        if record["type"] != "commune-actuelle" or record["code"] not in current:
            continue
        for code in record.get("anciensCodes", []):
            if code not in named and code not in current:
                rows[code, ""] = {
                    "code_insee": code, "nom": "", "type": "ANC", "commune": record["code"],
                }  # fmt: skip
    return [rows[key] for key in sorted(rows)]


def main(communes_json):
    records = json.loads(Path(communes_json).read_text(encoding="utf-8"))
    with open(DATA_DIR / "communes.csv", encoding="utf-8", newline="") as f:
        current = {row["code_insee"]: row["nom"] for row in csv.DictReader(f)}
    rows = rows_of(records, current)
    with open(DATA_DIR / "anciennes_communes.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    sys.stdout.write(f"{len(rows)} lignes écrites dans anciennes_communes.csv\n")


if __name__ == "__main__":
    main(sys.argv[1])
