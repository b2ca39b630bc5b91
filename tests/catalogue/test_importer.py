import json

from django.core.management import CommandError, call_command

import pytest

from catalogue import importer
from catalogue.models import Service, Structure

pytestmark = pytest.mark.django_db

STRUCTURE = {
    "source": "dora",
    "id": "dora--42",
    "nom": "Centre social Le Tournesol",
    "date_maj": "2025-02-14",
    "siret": "73282932000074",
    "code_insee": "81004",
    "code_postal": "81000",
    "commune": "Albi",
    "adresse": "3 rue de la Paix",
    "latitude": 43.928,
    "longitude": 2.148,
    "reseaux_porteurs": ["fcsf"],
}
SERVICE = {
    "source": "dora",
    "id": "dora--service-1",
    "structure_id": "dora--42",
    "nom": "Atelier CV",
    "description": "Un atelier pour écrire son CV, en petit groupe, avec une conseillère.",
    "date_maj": "2025-03-01",
    "thematiques": ["preparer-sa-candidature--realiser-un-cv-et-ou-une-lettre-de-motivation"],
    "publics": ["demandeurs-emploi"],
    "modes_accueil": ["en-presentiel", "a-distance"],
    "zone_eligibilite": ["81"],
    "type": "atelier",
    "frais": "gratuit",
    "courriel": "cv@tournesol.example.org",
}


def _write(path, records, jsonl=False):
    if jsonl:
        path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    else:
        path.write_text(json.dumps(records), encoding="utf-8")
    return path


def test_imports_structures_and_services_as_published(tmp_path):
    structures = importer.import_structures(_write(tmp_path / "s.json", [STRUCTURE]))
    services = importer.import_services(_write(tmp_path / "sv.jsonl", [SERVICE], jsonl=True))
    assert (structures.imported, services.imported) == (1, 1)
    service = Service.objects.get(identifiant="dora--service-1")
    assert service.structure.identifiant == "dora--42"
    assert service.statut == Service.Statut.PUBLIE
    assert service.modes_accueil == ["a-distance", "en-presentiel"]
    assert service.type == "atelier"
    assert service.structure.reseaux_porteurs == ["fcsf"]


def test_reimport_updates_and_never_duplicates(tmp_path):
    importer.import_structures(_write(tmp_path / "s.json", [STRUCTURE]))
    renamed = {**STRUCTURE, "nom": "Centre social Le Tournesol d'Albi"}
    report = importer.import_structures(_write(tmp_path / "s.json", [renamed, renamed]))
    assert report.imported == 1
    assert Structure.objects.get().nom == "Centre social Le Tournesol d'Albi"


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"thematiques": ["mobilite--voler"]}, "thematiques.0", "Input should be"),
        ({"structure_id": "dora--inconnue"}, "structure_id", "structure inconnue"),
        ({"code_insee": "81004", "code_postal": "13001"}, "code_postal", "ne dessert pas"),
        ({"code_insee": "99999"}, "code_insee", "Code INSEE inconnu"),
        ({"latitude": 51.5, "longitude": -0.12}, "latitude", "hors de France"),
        ({"zone_eligibilite": ["99999"]}, "zone_eligibilite", "inconnu"),
        ({"nom": None}, "nom", "Input should be a valid string"),
    ],
)
def test_a_bad_record_is_rejected_whole_and_the_others_import(tmp_path, change, field, message):
    importer.import_structures(_write(tmp_path / "s.json", [STRUCTURE]))
    bad = {**SERVICE, "id": "dora--bad", **change}
    report = importer.import_services(_write(tmp_path / "sv.json", [SERVICE, bad]))
    assert report.imported == 1
    assert report.rejected_records == 1
    rejection = next(r for r in report.rejections if r.field == field)
    assert (rejection.index, rejection.id) == (1, "dora--bad")
    assert message in rejection.message
    assert str(tmp_path / "sv.json") in str(rejection)
    assert not Service.objects.filter(identifiant="dora--bad").exists()


def test_invalid_siret_is_rejected(tmp_path):
    report = importer.import_structures(
        _write(tmp_path / "s.json", [{**STRUCTURE, "siret": "73282932000075"}])
    )
    assert [r.field for r in report.rejections] == ["siret"]
    assert not Structure.objects.exists()


def test_malformed_json_array_imports_nothing(tmp_path):
    path = tmp_path / "s.json"
    path.write_text(json.dumps([STRUCTURE])[:-5], encoding="utf-8")
    with pytest.raises(importer.ImportFileError, match="JSON mal formé"):
        importer.import_structures(path)
    assert not Structure.objects.exists()


def test_malformed_json_line_is_one_rejected_record(tmp_path):
    path = tmp_path / "s.jsonl"
    path.write_text("{oops\n" + json.dumps(STRUCTURE) + "\n", encoding="utf-8")
    report = importer.import_structures(path)
    assert report.imported == 1
    assert report.rejections[0].index == 0
    assert "JSON mal formé" in report.rejections[0].message


def test_command_reports_rejections_and_exits_non_zero(tmp_path, capsys):
    structures = _write(tmp_path / "s.json", [STRUCTURE, {**STRUCTURE, "id": "x", "nom": "AB"}])
    services = _write(tmp_path / "sv.json", [SERVICE])
    with pytest.raises(CommandError, match="1 enregistrement"):
        call_command("import_data_inclusion", structures=str(structures), services=str(services))
    output = capsys.readouterr()
    assert "enregistrement 1 (id=x) : nom" in output.err
    assert "structures : 1 importé(s), 1 rejeté(s)." in output.out
    assert "services : 1 importé(s), 0 rejeté(s)." in output.out


def test_command_succeeds_quietly_on_good_data(tmp_path, capsys):
    call_command(
        "import_data_inclusion",
        structures=str(_write(tmp_path / "s.json", [STRUCTURE])),
        services=str(_write(tmp_path / "sv.json", [SERVICE])),
    )
    assert "services : 1 importé(s), 0 rejeté(s)." in capsys.readouterr().out


def test_command_on_malformed_file_fails_clearly(tmp_path):
    path = tmp_path / "s.json"
    path.write_text("[{", encoding="utf-8")
    with pytest.raises(CommandError, match="JSON mal formé"):
        call_command("import_data_inclusion", structures=str(path))


def test_command_needs_a_file():
    with pytest.raises(CommandError, match="--structures"):
        call_command("import_data_inclusion")
