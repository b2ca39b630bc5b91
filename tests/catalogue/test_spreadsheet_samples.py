"""The data·inclusion valideur's own test spreadsheet (« modèle de saisie », saved as CSV): every
deliberate error is rejected, naming its field (see tests/fixtures/README.md)."""

import csv
from pathlib import Path

import pytest

from catalogue import importer
from catalogue.models import Service, Structure

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).parent.parent / "fixtures" / "data-inclusion-samples"
STRUCTURES = SAMPLES / "dataset.xlsx.Structures.csv"
SERVICES = SAMPLES / "dataset.xlsx.Services.csv"


def _fields(report):
    return {(r["position"], r["champ"]) for r in report.rejets}


def _message(report, position, champ):
    return next(
        r["message"] for r in report.rejets if (r["position"], r["champ"]) == (position, champ)
    )


def test_each_deliberate_error_of_the_structures_sheet_is_named():
    report = importer.import_structures(STRUCTURES, source="valideur")

    assert (report.crees, report.rejetes) == (0, 1)  # the example row (__ignore__) is skipped
    assert _fields(report) == {
        ("ligne 4", "nom"),
        ("ligne 4", "date_maj"),
        ("ligne 4", "code_postal"),
        ("ligne 4", "courriel"),
        ("ligne 4", "site_web"),
    }
    assert "ne doit pas se terminer par un point" in _message(report, "ligne 4", "nom")
    assert _message(report, "ligne 4", "courriel") == "adresse e-mail invalide « pas une adresse »"
    assert _message(report, "ligne 4", "site_web") == "URL invalide « pas une url ! »"
    assert _message(report, "ligne 4", "date_maj") == "champ obligatoire manquant"
    assert report.avertissements == [
        "Colonne « 46076 » ignorée : c'est une date Excel, pas un nom de champ (« date_maj » ?).",
        "Colonne « colonne en trop » inconnue du schéma : ignorée.",
        "Colonne « colonne en double » inconnue du schéma : ignorée.",
    ]
    assert not Structure.objects.exists()


def test_each_deliberate_error_of_the_services_sheet_is_named():
    report = importer.import_services(SERVICES, source="valideur")

    assert (report.crees, report.rejetes) == (0, 2)
    both = {"structure_id", "date_maj", "mobilisable_par", "nombre_semaines"}
    assert _fields(report) == (
        {("ligne 4", champ) for champ in both | {"thematiques"}}
        | {("ligne 5", champ) for champ in both | {"code_insee"}}
    )
    assert "« logement-hebergement--louer-un-appartement »" in _message(
        report, "ligne 4", "thematiques"
    )
    assert "« autres »" in _message(report, "ligne 5", "mobilisable_par")
    assert (
        _message(report, "ligne 5", "nombre_semaines") == "nombre entier attendu, reçu « beaucoup »"
    )
    assert _message(report, "ligne 5", "code_insee") == "Code INSEE inconnu : 59999."
    assert "Colonne « lien_source » présente 2 fois" in " ".join(report.avertissements)
    assert not Service.objects.exists()


def _corrected(source, target, fixes):
    """The sheet with the Excel-date header renamed `date_maj` and the given cells fixed."""
    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header = ["date_maj" if name.isdigit() else name for name in rows[0]]
    for row in rows[1:]:
        cells = dict(zip(header, row, strict=True))
        for name, value in fixes.get(cells["excel_line"], {}).items():
            row[header.index(name)] = value
        if cells["date_maj"]:
            row[header.index("date_maj")] = "2026-02-23"
    with target.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, *rows[1:]])
    return target


def test_the_sheets_once_corrected_import_with_their_lists_split(tmp_path):
    structures = _corrected(
        STRUCTURES,
        tmp_path / "structures.csv",
        {"4": {"nom": "Agence Action Logement", "code_postal": "75019", "courriel": "",
               "site_web": "https://www.actionlogement.fr"}},
    )  # fmt: skip
    fixed_service = {
        "mobilisable_par": "professionnels, usagers", "nombre_semaines": "3",
        "thematiques": "logement-hebergement--louer-un-logement",
    }  # fmt: skip
    services = _corrected(
        SERVICES,
        tmp_path / "services.csv",
        {"4": fixed_service, "5": {**fixed_service, "code_insee": "59350"}},
    )

    assert importer.import_structures(structures, source="valideur").crees == 1
    report = importer.import_services(services, source="valideur")

    assert (report.crees, report.rejetes) == (2, 0), report.rejets
    service = Service.objects.get(identifiant="53669028-8862-4f42-a80c-d3f269456edc")
    assert service.source == "valideur"
    assert service.modes_mobilisation == [
        "se-presenter", "telephoner", "utiliser-lien-mobilisation"
    ]  # fmt: skip
    assert service.modes_accueil == ["a-distance", "en-presentiel"]
    assert service.volume_horaire_hebdomadaire == 10.5 and service.nombre_semaines == 3
    assert service.lien_source.startswith("https://www.actionlogement.fr/le-logement-social/")
