"""Imports cannot damage what is not theirs: another source's records, a source's whole offer
through a truncated « full export », what a structure hid or entered on the portal; and one bad
value or cell rejects its record only, whatever the file's layout (BOM, `;` separator)."""

import codecs
import csv
import json

from django.core.management import CommandError, call_command

import pytest

from catalogue import import_rules, importer
from catalogue.models import PORTAIL_SOURCE, Service, Structure
from tests.catalogue.factories import ModeleServiceFactory
from tests.catalogue.test_importer import SERVICE, STRUCTURE, _rejet, _write
from tests.factories import StructureFactory, UserFactory

pytestmark = pytest.mark.django_db

OTHER = {**STRUCTURE, "source": "soliguide", "nom": "Structure détournée"}


@pytest.fixture
def dora(tmp_path):
    """Source « dora »: one structure and its service, imported."""
    importer.import_structures(_write(tmp_path / "dora-s.json", [STRUCTURE]))
    importer.import_services(_write(tmp_path / "dora-sv.json", [SERVICE]))
    return Structure.objects.get(identifiant=STRUCTURE["id"])


# A record changes only its own source's records ----------------------------------------------


def test_a_structure_of_another_source_is_not_overwritten(tmp_path, dora):
    report = importer.import_structures(_write(tmp_path / "s.json", [OTHER]))

    assert (report.crees, report.mis_a_jour, report.rejetes) == (0, 0, 1)
    assert _rejet(report, "id")["message"] == (
        "« dora--42 » appartient à la source « dora » : un enregistrement de la source "
        "« soliguide » ne peut pas le modifier"
    )
    assert Structure.objects.get().nom == STRUCTURE["nom"]


def test_a_service_of_another_source_is_not_overwritten(tmp_path, dora):
    foreign = {**SERVICE, "source": "soliguide", "structure_id": "soliguide--1", "nom": "Autre"}
    importer.import_structures(
        _write(tmp_path / "s.json", [{**OTHER, "id": "soliguide--1"}])
    )  # fmt: skip

    report = importer.import_services(_write(tmp_path / "sv.json", [foreign]))

    assert (
        report.rejetes == 1 and "appartient à la source « dora »" in _rejet(report, "id")["message"]
    )
    assert Service.objects.get(identifiant=SERVICE["id"]).nom == SERVICE["nom"]


def test_a_service_cannot_join_another_source_s_structure(tmp_path, dora):
    intruder = {**SERVICE, "source": "soliguide", "id": "soliguide--service-9"}

    report = importer.import_services(_write(tmp_path / "sv.json", [intruder]))

    assert report.rejetes == 1
    assert _rejet(report, "structure_id")["message"] == (
        "la structure « dora--42 » appartient à la source « dora » : un service de la source "
        "« soliguide » ne peut pas y être rattaché"
    )
    assert list(dora.services.values_list("identifiant", flat=True)) == [SERVICE["id"]]


def test_an_import_cannot_claim_the_portal_s_own_source(tmp_path):
    entered = StructureFactory(nom="Saisie sur le portail")
    record = {**STRUCTURE, "source": PORTAIL_SOURCE, "id": entered.identifiant, "nom": "Pirate"}

    report = importer.import_structures(_write(tmp_path / "s.json", [record]))

    assert "source des saisies du portail" in _rejet(report, "source")["message"]
    assert Structure.objects.get().nom == "Saisie sur le portail"


# A full export suspends a bounded share of a source --------------------------------------------


@pytest.fixture
def three_hundred(tmp_path):
    records = [{**STRUCTURE, "id": f"dora--{n}"} for n in range(300)]
    importer.import_structures(_write(tmp_path / "all.jsonl", records, jsonl=True))
    return _write(tmp_path / "one.json", records[:1])


def test_a_one_line_full_export_suspends_nothing_and_says_why(three_hundred):
    report = importer.import_structures(three_hundred, full_export=True)

    assert report.suspendus == 0
    assert report.erreur == (
        "Export complet non appliqué pour la source « dora » : 299 de ses 300 enregistrements "
        "publiés (100%) seraient suspendus, plus que le maximum de 20%. Vérifiez que le fichier "
        "est complet ; s'il l'est, relancez avec --force."
    )
    assert Structure.objects.filter(est_publiee=True).count() == 300


def test_the_command_fails_without_force_and_suspends_with_it(three_hundred, capsys):
    with pytest.raises(CommandError):
        call_command("import_data_inclusion", structures=str(three_hundred), export_complet=True)
    assert "relancez avec --force" in capsys.readouterr().err

    call_command(
        "import_data_inclusion", structures=str(three_hundred), export_complet=True, force=True
    )
    assert Structure.objects.filter(est_publiee=True).count() == 1


def test_the_share_is_configurable(three_hundred, settings):
    settings.IMPORT_MAX_SUSPENDED_SHARE = 1
    assert importer.import_structures(three_hundred, full_export=True).suspendus == 299


# Never republish what a structure hid, never overwrite what the portal owns --------------------


def _reimport_changed(tmp_path, nature="services"):
    record = SERVICE if nature == "services" else STRUCTURE
    changed = {**record, "description": "Une description mise à jour par la source, plus longue."}
    if nature == "services":
        return importer.import_services(_write(tmp_path / "again.json", [changed]))
    return importer.import_structures(_write(tmp_path / "again.json", [changed]))


@pytest.mark.parametrize(
    "statut",
    [Service.Statut.SUSPENDU, Service.Statut.ARCHIVE, Service.Statut.BROUILLON,
     Service.Statut.A_RELIRE],
)  # fmt: skip
def test_an_import_never_republishes_what_a_structure_hid(tmp_path, dora, statut):
    Service.objects.update(statut=statut)

    assert _reimport_changed(tmp_path).mis_a_jour == 1

    service = Service.objects.get()
    assert service.description.startswith("Une description mise à jour")
    assert service.statut == statut


def test_an_import_never_republishes_a_structure_its_members_unpublished(tmp_path, dora):
    Structure.objects.update(est_publiee=False)
    assert _reimport_changed(tmp_path, "structures").mis_a_jour == 1
    assert not Structure.objects.get().est_publiee


# The declared lists, each field tested: (model, field, value set on the portal).
PORTAL_VALUES = [
    (Service, "frequence_maj", 30),
    (Service, "contact_public", False),
    (Service, "latest_revision", "revision"),
    (Service, "modele", "modele"),
    (Service, "valeurs_modele", {"nom": "Nom du modèle déjà réglé"}),
    (Structure, "structure_parente", "parent"),
    (Structure, "relecture_services", True),
    (Structure, "latest_revision", "revision"),
]
LOCAL_CONTACTS = [
    (Service, "telephone", "04 91 00 00 00"),
    (Service, "courriel", "accueil@tournesol.example.org"),
    (Service, "contact_nom_prenom", "Nadia Haddad"),
    (Structure, "telephone", "05 63 00 00 00"),
    (Structure, "courriel", "contact@tournesol.example.org"),
]


def test_every_declared_field_is_tested():
    assert {(m, f) for m, f, _ in PORTAL_VALUES} == {
        (model, name) for model, names in import_rules.PORTAL_FIELDS.items() for name in names
    }
    assert {(m, f) for m, f, _ in LOCAL_CONTACTS} == {
        (model, name) for model, names in import_rules.KEPT_WHEN_EMPTY.items() for name in names
    }


def _set_on_the_portal(model, name, value):
    instance = model.objects.get()
    if value == "revision":
        instance.save_revision(user=UserFactory())
        value = model.objects.get().latest_revision
        assert value is not None
    elif value == "parent":
        value = StructureFactory(nom="Fédération des centres sociaux")
    elif value == "modele":
        value = ModeleServiceFactory()
    setattr(instance, name, value)
    instance.save()
    return value


@pytest.mark.parametrize(("model", "name", "value"), PORTAL_VALUES + LOCAL_CONTACTS)
def test_an_import_never_overwrites_what_the_portal_owns(tmp_path, dora, model, name, value):
    kept = _set_on_the_portal(model, name, value)
    without_contacts = {"telephone": None, "courriel": None, "contact_nom_prenom": None}
    nature = "services" if model is Service else "structures"
    record = {**(SERVICE if model is Service else STRUCTURE), **without_contacts}
    if model is Structure:
        del record["contact_nom_prenom"]
    changed = {**record, "description": "Une description mise à jour par la source, plus longue."}

    report = getattr(importer, f"import_{nature}")(_write(tmp_path / "again.json", [changed]))

    assert report.mis_a_jour == 1, report.rejets
    instance = model.objects.get(identifiant=record["id"])
    assert instance.description.startswith("Une description mise à jour")
    assert getattr(instance, name) == kept


def test_a_contact_the_source_gives_replaces_the_previous_one(tmp_path, dora):
    _set_on_the_portal(Service, "telephone", "04 91 00 00 00")
    changed = {**SERVICE, "telephone": "05 63 11 22 33"}
    importer.import_services(_write(tmp_path / "again.json", [changed]))
    assert Service.objects.get().telephone == "05 63 11 22 33"


# A bad value rejects its record only ------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"latitude": float("nan")}, "latitude", "nombre attendu, reçu « nan »"),
        ({"longitude": float("inf")}, "longitude", "nombre attendu, reçu « inf »"),
        ({"volume_horaire_hebdomadaire": float("inf")}, "volume_horaire_hebdomadaire",
         "nombre attendu, reçu « inf »"),
        ({"volume_horaire_hebdomadaire": 1e300}, "volume_horaire_hebdomadaire",
         "doit être compris entre 0 et 168"),
        ({"nombre_semaines": 10**12}, "nombre_semaines", "doit être compris entre 1 et 520"),
        ({"latitude": 1e308, "longitude": 2.1}, "latitude", "doit être compris entre -90 et 90"),
    ],
)  # fmt: skip
def test_a_bad_number_rejects_its_record_only(tmp_path, dora, change, field, message):
    bad = {**SERVICE, "id": "dora--bad", **change}
    following = {**SERVICE, "id": "dora--next"}
    path = tmp_path / "sv.jsonl"
    path.write_text(f"{json.dumps(bad)}\n{json.dumps(following)}\n", encoding="utf-8")

    report = importer.import_services(path)

    assert (report.crees, report.rejetes, report.etat) == (1, 1, "termine")
    assert message in _rejet(report, field)["message"]
    assert Service.objects.filter(identifiant="dora--next").exists()


def test_zone_99100_is_read_as_france(tmp_path, dora):
    report = importer.import_services(
        _write(tmp_path / "sv.json", [{**SERVICE, "zone_eligibilite": ["99100", "81"]}])
    )
    assert report.rejetes == 0
    assert Service.objects.get().zone_eligibilite == ["81", "france"]


# Every layout: BOM, CSV separator, oversized cell -----------------------------------------------


@pytest.mark.parametrize("layout", ["array", "lines", "csv"])
def test_a_bom_is_accepted_on_every_format(tmp_path, layout):
    path = tmp_path / ("s.csv" if layout == "csv" else "s.json")
    if layout == "csv":
        _write_csv(path, [STRUCTURE], ";")
        content = path.read_bytes()
    else:
        _write(path, [STRUCTURE], jsonl=layout == "lines")
        content = path.read_bytes()
    path.write_bytes(codecs.BOM_UTF8 + content)

    report = importer.import_structures(path)

    assert (report.crees, report.rejetes, report.erreur) == (1, 0, "")


def _write_csv(path, records, delimiter):
    fields = list(dict.fromkeys(name for record in records for name in record))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fields, delimiter=delimiter)
        writer.writeheader()
        for record in records:
            writer.writerow(
                {k: ",".join(v) if isinstance(v, list) else v for k, v in record.items()}
            )
    return path


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_the_csv_separator_is_detected(tmp_path, delimiter):
    records = [STRUCTURE, {**STRUCTURE, "id": "dora--43", "adresse": "1 place du Vigan; bât. B"}]
    report = importer.import_structures(_write_csv(tmp_path / "s.csv", records, delimiter))
    assert (report.crees, report.rejetes, report.avertissements) == (2, 0, [])
    assert Structure.objects.get(identifiant="dora--43").adresse == "1 place du Vigan; bât. B"


def test_a_csv_with_another_separator_gets_a_clear_message(tmp_path):
    report = importer.import_structures(_write_csv(tmp_path / "s.csv", [STRUCTURE], "\t"))
    assert report.etat == "echec" and not Structure.objects.exists()
    assert report.erreur.startswith(
        "La première ligne du CSV ne nomme aucun champ du schéma data·inclusion, avec la virgule "
        "ou le point-virgule comme séparateur"
    )


def test_an_oversized_cell_rejects_its_row_only(tmp_path):
    records = [
        {**STRUCTURE, "id": "dora--1"},
        {**STRUCTURE, "id": "dora--2", "description": "x" * 200_000},
        {**STRUCTURE, "id": "dora--3"},
        {**STRUCTURE, "id": "dora--4"},
    ]
    report = importer.import_structures(_write_csv(tmp_path / "s.csv", records, ";"))

    assert (report.crees, report.rejetes) == (3, 1)
    assert report.rejets[0]["position"] == "ligne 3"
    assert report.rejets[0]["message"].startswith("cellule de plus de 131072 caractères")
    assert set(Structure.objects.values_list("identifiant", flat=True)) == {
        "dora--1", "dora--3", "dora--4"
    }  # fmt: skip
