"""An import keeps invalid opening hours and non-Acceslibre accessibility links out of the
catalogue, imports the record without them, and says so in its report."""

import pytest

from catalogue import importer
from catalogue.models import Service, Structure
from tests.catalogue.test_importer import SERVICE, STRUCTURE, _write

pytestmark = pytest.mark.django_db

ACCESLIBRE = "https://acceslibre.beta.gouv.fr/app/81-albi/a/centre-social/erp/le-tournesol/"


def test_invalid_hours_are_left_out_with_a_warning(tmp_path):
    importer.import_structures(_write(tmp_path / "s.json", [STRUCTURE]))
    good = {**SERVICE, "id": "dora--bon", "horaires_accueil": "Mo-Fr 09:00-12:00"}
    bad = {**SERVICE, "id": "dora--mauvais", "horaires_accueil": "du lundi au vendredi 9h-12h"}

    report = importer.import_services(_write(tmp_path / "sv.json", [good, bad]))

    assert (report.crees, report.rejetes) == (2, 0)
    assert Service.objects.get(identifiant="dora--bon").horaires_accueil == "Mo-Fr 09:00-12:00"
    assert Service.objects.get(identifiant="dora--mauvais").horaires_accueil == ""
    (warning,) = [text for text in report.avertissements if "invalide" in text]
    assert warning.startswith(
        "1 valeur(s) invalide(s) laissée(s) de côté, les enregistrements importés sans elles : "
        "dora--mauvais : horaires_accueil : Horaires illisibles au format OpenStreetMap à partir "
        "de « du lundi au vendredi 9h-12h » (caractère 1)."
    )


def test_a_structure_s_bad_hours_and_accessibility_link_are_left_out(tmp_path):
    bad = {
        **STRUCTURE,
        "horaires_accueil": "Mo-Fr 9-12",
        "accessibilite_lieu": "https://example.org/",
    }
    good = {
        **STRUCTURE,
        "id": "dora--43",
        "accessibilite_lieu": ACCESLIBRE,
        "horaires_accueil": "24/7",
    }

    report = importer.import_structures(_write(tmp_path / "s.json", [bad, good]))

    assert (report.crees, report.rejetes) == (2, 0)
    structure = Structure.objects.get(identifiant="dora--42")
    assert (structure.horaires_accueil, structure.accessibilite_lieu) == ("", "")
    kept = Structure.objects.get(identifiant="dora--43")
    assert (kept.horaires_accueil, kept.accessibilite_lieu) == ("24/7", ACCESLIBRE)
    (warning,) = [text for text in report.avertissements if "invalide" in text]
    assert warning.startswith("2 valeur(s) invalide(s)")
    assert "dora--42 : horaires_accueil : Horaires illisibles" in warning
    assert (
        "dora--42 : accessibilite_lieu : Lien Acceslibre attendu : la fiche du lieu, qui commence "
        "par « https://acceslibre.beta.gouv.fr/ » (reçu « https://example.org/ »)."
    ) in warning


def test_the_warning_lists_the_first_ten_values_left_out(tmp_path):
    importer.import_structures(_write(tmp_path / "s.json", [STRUCTURE]))
    bad = [{**SERVICE, "id": f"dora--{n:02}", "horaires_accueil": "9h-12h"} for n in range(11)]

    report = importer.import_services(_write(tmp_path / "sv.json", bad))

    (warning,) = [text for text in report.avertissements if "invalide" in text]
    assert warning.startswith("11 valeur(s) invalide(s)")
    listed = warning.split(" : ", 1)[1].split(" ; ")
    assert [line.split(" : ")[0] for line in listed] == [f"dora--{n:02}" for n in range(10)]
    assert warning.endswith("…")
