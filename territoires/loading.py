"""Loads the reference geography shipped in territoires/data (see its README) into the database."""

import csv
import json
from pathlib import Path

from django.db import transaction

from config.text import folded_words
from territoires.models import EPCI, AncienneCommune, CodePostal, Commune, Departement, Region

DATA_DIR = Path(__file__).resolve().parent / "data"
BATCH_SIZE = 2000


def _features(filename):
    with open(DATA_DIR / filename, encoding="utf-8") as f:
        return json.load(f)["features"]


def _upsert(model, objects, unique_field, update_fields):
    model.objects.bulk_create(
        objects,
        batch_size=BATCH_SIZE,
        update_conflicts=True,
        unique_fields=[unique_field],
        update_fields=update_fields,
    )


def _load_regions():
    regions = [
        Region(code=f["properties"]["code"], nom=f["properties"]["nom"], contour=f["geometry"])
        for f in _features("regions.geojson")
    ]
    _upsert(Region, regions, "code", ["nom", "contour"])


def _load_departements():
    departements = [
        Departement(
            code=f["properties"]["code"],
            nom=f["properties"]["nom"],
            region_id=f["properties"]["region"],
            contour=f["geometry"],
        )
        for f in _features("departements.geojson")
    ]
    _upsert(Departement, departements, "code", ["nom", "region", "contour"])


def _load_epcis():
    epcis = [
        EPCI(
            code=f["properties"]["code"],
            nom=f["properties"]["nom"],
            type=f["properties"]["type"],
            contour=f["geometry"],
        )
        for f in _features("epci.geojson")
    ]
    _upsert(EPCI, epcis, "code", ["nom", "type", "contour"])


def _commune(row):
    return Commune(
        code_insee=row["code_insee"],
        nom=row["nom"],
        nom_normalise=folded_words(row["nom"]),
        type=row["type"],
        commune_parent_id=row["commune_parent"] or None,
        departement_id=row["departement"],
        epci_id=row["epci"] or None,
        population=int(row["population"]),
        latitude=float(row["latitude"]),
        longitude=float(row["longitude"]),
    )


def _load_communes():
    with open(DATA_DIR / "communes.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    fields = [
        "nom", "nom_normalise", "type", "commune_parent", "departement", "epci",
        "population", "latitude", "longitude",
    ]  # fmt: skip
    # Communes first: arrondissements point to their parent commune.
    for kind in (Commune.Type.COMMUNE, Commune.Type.ARRONDISSEMENT):
        _upsert(Commune, [_commune(r) for r in rows if r["type"] == kind], "code_insee", fields)
    CodePostal.objects.all().delete()
    CodePostal.objects.bulk_create(
        [
            CodePostal(code=code, commune_id=row["code_insee"])
            for row in rows
            for code in row["codes_postaux"].split()
        ],
        batch_size=BATCH_SIZE,
    )
    return len(rows)


def _load_anciennes_communes():
    with open(DATA_DIR / "anciennes_communes.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    AncienneCommune.objects.all().delete()
    AncienneCommune.objects.bulk_create(
        [
            AncienneCommune(
                code_insee=row["code_insee"],
                nom=row["nom"],
                nom_normalise=folded_words(row["nom"]),
                type=row["type"],
                commune_id=row["commune"],
            )
            for row in rows
        ],
        batch_size=BATCH_SIZE,
    )


@transaction.atomic
def load_territoires():
    """Creates or updates every région, département, EPCI, commune and postal code.

    Idempotent: running it again updates rows in place and never duplicates them.
    """
    _load_regions()
    _load_departements()
    _load_epcis()
    count = _load_communes()
    _load_anciennes_communes()
    return {
        "régions": Region.objects.count(),
        "départements": Departement.objects.count(),
        "EPCI": EPCI.objects.count(),
        "communes": count,
        "codes postaux": CodePostal.objects.count(),
        "anciennes communes": AncienneCommune.objects.count(),
    }
