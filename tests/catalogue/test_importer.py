import json

from django.core.management import CommandError, call_command

import pytest

from catalogue import importer
from catalogue.models import RapportImport, Service, Structure
from search.models import IndexChange

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


def _rejet(report, champ):
    return next(r for r in report.rejets if r["champ"] == champ)


def test_imports_structures_and_services_as_published(tmp_path):
    structures = importer.import_structures(_write(tmp_path / "s.json", [STRUCTURE]))
    services = importer.import_services(_write(tmp_path / "sv.jsonl", [SERVICE], jsonl=True))
    assert (structures.crees, services.crees) == (1, 1)
    assert services.etat == RapportImport.Etat.TERMINE and services.sources == ["dora"]
    service = Service.objects.get(identifiant="dora--service-1")
    assert service.structure.identifiant == "dora--42"
    assert service.statut == Service.Statut.PUBLIE
    assert service.modes_accueil == ["a-distance", "en-presentiel"]
    assert service.type == "atelier"
    assert service.structure.reseaux_porteurs == ["fcsf"]


def test_reimport_updates_and_never_duplicates(tmp_path):
    importer.import_structures(_write(tmp_path / "s.json", [STRUCTURE]))
    renamed = {**STRUCTURE, "nom": "Centre social Le Tournesol d'Albi"}
    report = importer.import_structures(_write(tmp_path / "s.json", [renamed]))
    assert (report.crees, report.mis_a_jour) == (0, 1)
    assert Structure.objects.get().nom == "Centre social Le Tournesol d'Albi"


def test_an_unchanged_record_is_skipped_without_touching_the_index(tmp_path):
    importer.import_structures(_write(tmp_path / "s.json", [STRUCTURE]))
    path = _write(tmp_path / "sv.jsonl", [SERVICE], jsonl=True)
    importer.import_services(path)
    Service.objects.update(modifie_le="2026-01-01T00:00:00Z")
    outbox = IndexChange.objects.count()

    report = importer.import_services(path)

    assert (report.crees, report.mis_a_jour, report.inchanges) == (0, 0, 1)
    assert IndexChange.objects.count() == outbox
    assert (
        Service.objects.get().modifie_le.year == 2026
        and Service.objects.get().modifie_le.month == 1
    )


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            {"thematiques": ["mobilite--voler"]},
            "thematiques",
            "valeur inconnue « mobilite--voler »",
        ),
        ({"structure_id": "dora--inconnue"}, "structure_id", "structure inconnue"),
        ({"code_insee": "81004", "code_postal": "13001"}, "code_postal", "ne dessert pas"),
        ({"code_insee": "99999"}, "code_insee", "Code INSEE inconnu"),
        ({"latitude": 51.5, "longitude": -0.12}, "latitude", "hors de France"),
        ({"zone_eligibilite": ["99999"]}, "zone_eligibilite", "inconnu"),
        ({"nom": None}, "nom", "texte attendu"),
        ({"nom": "Atelier CV."}, "nom", "ne doit pas se terminer par un point"),
        ({"date_maj": "2099-01-01"}, "date_maj", "ne peut pas être dans le futur"),
        ({"nombre_semaines": "beaucoup"}, "nombre_semaines", "nombre entier attendu"),
    ],
)
def test_a_bad_record_is_rejected_whole_and_the_others_import(tmp_path, change, field, message):
    importer.import_structures(_write(tmp_path / "s.json", [STRUCTURE]))
    bad = {**SERVICE, "id": "dora--bad", **change}
    report = importer.import_services(_write(tmp_path / "sv.json", [SERVICE, bad]))
    assert (report.crees, report.rejetes) == (1, 1)
    rejet = _rejet(report, field)
    assert (rejet["position"], rejet["id"]) == ("enregistrement 2", "dora--bad")
    assert message in rejet["message"]
    assert not Service.objects.filter(identifiant="dora--bad").exists()


def test_invalid_siret_is_rejected(tmp_path):
    report = importer.import_structures(
        _write(tmp_path / "s.json", [{**STRUCTURE, "siret": "73282932000075"}])
    )
    assert [r["champ"] for r in report.rejets] == ["siret"]
    assert not Structure.objects.exists()


def test_a_duplicated_id_is_rejected_naming_the_first(tmp_path):
    renamed = {**STRUCTURE, "nom": "Un autre nom"}
    report = importer.import_structures(_write(tmp_path / "s.jsonl", [STRUCTURE, renamed], True))
    assert (report.crees, report.rejetes) == (1, 1)
    assert _rejet(report, "id")["message"] == "en double dans le fichier (déjà en ligne 1)"
    assert Structure.objects.get().nom == STRUCTURE["nom"]


def test_a_truncated_json_array_keeps_what_was_read_and_says_so(tmp_path):
    other = {**STRUCTURE, "id": "dora--43"}
    path = tmp_path / "s.json"
    path.write_text(json.dumps([STRUCTURE, other])[:-30], encoding="utf-8")
    report = importer.import_structures(path)
    assert report.etat == RapportImport.Etat.INCOMPLET
    assert "JSON incomplet ou mal formé après l'enregistrement 1" in report.erreur
    assert list(Structure.objects.values_list("identifiant", flat=True)) == ["dora--42"]


def test_a_malformed_json_line_is_one_rejected_record(tmp_path):
    path = tmp_path / "s.jsonl"
    path.write_text("{oops\n" + json.dumps(STRUCTURE) + "\n", encoding="utf-8")
    report = importer.import_structures(path)
    assert (report.crees, report.rejetes) == (1, 1)
    assert report.rejets[0]["position"] == "ligne 1"
    assert "JSON mal formé" in report.rejets[0]["message"]


def test_a_file_cut_in_its_last_line_is_reported_as_truncated(tmp_path):
    path = tmp_path / "s.jsonl"
    line = json.dumps({**STRUCTURE, "id": "dora--43"})
    path.write_text(json.dumps(STRUCTURE) + "\n" + line[:40], encoding="utf-8")
    report = importer.import_structures(path)
    assert report.crees == 1
    assert "fichier tronqué" in _rejet(report, "enregistrement")["message"]


def test_a_file_not_in_utf8_is_refused_before_anything_is_imported(tmp_path):
    path = tmp_path / "s.jsonl"
    path.write_bytes(
        (
            json.dumps(STRUCTURE)
            + "\n"
            + json.dumps({**STRUCTURE, "id": "dora--43", "nom": "Crèche"}, ensure_ascii=False)
        ).encode("latin-1")
    )
    report = importer.import_structures(path)
    assert report.etat == RapportImport.Etat.ECHEC
    assert "n'est pas encodé en UTF-8 (octet 0xe8" in report.erreur
    assert not Structure.objects.exists()


def test_a_huge_line_is_skipped_without_loading_it_and_the_next_imports(tmp_path):
    path = tmp_path / "s.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        handle.write('{"id": "dora--enorme", "description": "' + "x" * 20_000_000 + '"}\n')
        handle.write(json.dumps(STRUCTURE) + "\n")
    report = importer.import_structures(path)
    assert report.crees == 1
    assert report.rejets == [
        {"position": "ligne 1", "id": "", "champ": "enregistrement",
         "message": "ligne de plus de 1 Mo : ignorée"}
    ]  # fmt: skip


def test_a_full_export_suspends_what_vanished_from_its_source_only(tmp_path, settings):
    settings.IMPORT_MAX_SUSPENDED_SHARE = 0.5  # one of two
    other = {**STRUCTURE, "id": "dora--43"}
    foreign = {**STRUCTURE, "id": "soliguide--7", "source": "soliguide"}
    importer.import_structures(_write(tmp_path / "s.json", [STRUCTURE, other, foreign]))
    second = {**SERVICE, "id": "dora--service-2"}
    importer.import_services(_write(tmp_path / "sv.json", [SERVICE, second]))

    structures = importer.import_structures(
        _write(tmp_path / "s2.json", [STRUCTURE]), full_export=True
    )
    services = importer.import_services(_write(tmp_path / "sv2.json", [SERVICE]), full_export=True)

    assert (structures.suspendus, services.suspendus) == (1, 1)
    assert not Structure.objects.get(identifiant="dora--43").est_publiee
    assert Structure.objects.get(identifiant="soliguide--7").est_publiee
    assert Service.objects.get(identifiant="dora--service-2").statut == Service.Statut.SUSPENDU
    assert Service.objects.get(identifiant="dora--service-1").statut == Service.Statut.PUBLIE

    again = importer.import_services(
        _write(tmp_path / "sv.json", [SERVICE, second]), full_export=True
    )
    assert (again.inchanges, again.mis_a_jour, again.suspendus) == (1, 1, 0)
    assert Service.objects.get(identifiant="dora--service-2").statut == Service.Statut.PUBLIE


def test_a_full_export_with_an_unreadable_line_suspends_nothing(tmp_path):
    importer.import_structures(
        _write(tmp_path / "s.json", [STRUCTURE, {**STRUCTURE, "id": "dora--43"}])
    )
    path = tmp_path / "s.jsonl"
    path.write_text(json.dumps(STRUCTURE) + "\n{cassé\n", encoding="utf-8")

    report = importer.import_structures(path, full_export=True)

    assert report.suspendus == 0
    assert "Export complet non appliqué : 1 ligne(s) illisible(s)" in report.avertissements[0]
    assert Structure.objects.filter(est_publiee=True).count() == 2


def test_a_run_stopped_midway_keeps_whole_batches_and_can_run_again(tmp_path, monkeypatch):
    records = [{**STRUCTURE, "id": f"dora--{n}"} for n in range(5)]
    path = _write(tmp_path / "s.jsonl", records, jsonl=True)
    monkeypatch.setattr(importer, "BATCH_SIZE", 2)
    real_upsert = importer._upsert

    def crash_on_third_batch(objects):
        if objects[0].identifiant == "dora--4":
            raise RuntimeError("coupure")
        real_upsert(objects)

    monkeypatch.setattr(importer, "_upsert", crash_on_third_batch)
    with pytest.raises(RuntimeError):
        importer.import_structures(path)
    stopped = RapportImport.objects.get()
    assert stopped.etat == RapportImport.Etat.ECHEC and "coupure" in stopped.erreur
    assert Structure.objects.count() == 4 and stopped.crees == 4

    monkeypatch.setattr(importer, "_upsert", real_upsert)
    report = importer.import_structures(path)
    assert (report.crees, report.inchanges) == (1, 4)


def test_command_reports_rejections_and_exits_non_zero(tmp_path, capsys):
    structures = _write(tmp_path / "s.json", [STRUCTURE, {**STRUCTURE, "id": "x", "nom": "AB"}])
    services = _write(tmp_path / "sv.json", [SERVICE])
    with pytest.raises(CommandError, match="Import incomplet"):
        call_command("import_data_inclusion", structures=str(structures), services=str(services))
    output = capsys.readouterr()
    assert "enregistrement 2 (id=x) : nom : trop court (au moins 3 caractères)" in output.err
    assert (
        "structures : 1 créé(s), 0 mis à jour, 0 inchangé(s), 0 suspendu(s), 1 rejeté(s)"
        in output.out
    )
    assert "services : 1 créé(s)" in output.out


def test_command_succeeds_quietly_on_good_data(tmp_path, capsys):
    call_command(
        "import_data_inclusion",
        structures=str(_write(tmp_path / "s.json", [STRUCTURE])),
        services=str(_write(tmp_path / "sv.json", [SERVICE])),
    )
    assert (
        "services : 1 créé(s), 0 mis à jour, 0 inchangé(s), 0 suspendu(s), 0 rejeté(s) — Terminé."
        in capsys.readouterr().out
    )


def test_command_on_malformed_file_fails_clearly(tmp_path, capsys):
    path = tmp_path / "s.json"
    path.write_text("[{", encoding="utf-8")
    with pytest.raises(CommandError, match="Import incomplet"):
        call_command("import_data_inclusion", structures=str(path))
    assert "JSON incomplet ou mal formé après l'enregistrement 0" in capsys.readouterr().err


def test_command_needs_a_file():
    with pytest.raises(CommandError, match="--structures"):
        call_command("import_data_inclusion")
