"""The open export is data·inclusion v1, conformant record by record, without personal data;
what it writes imports back unchanged."""

import json

from django.core.management import call_command

import pytest

from catalogue import importer
from catalogue.models import Service, Structure
from tests.catalogue.conformance import assert_conformant, schema_errors
from tests.factories import ServiceFactory, StructureFactory

pytestmark = pytest.mark.django_db


def _read(directory, name):
    return json.loads((directory / name).read_text(encoding="utf-8"))


def test_thousands_of_exported_records_are_conformant_without_personal_data(tmp_path):
    call_command("load_demo", structures=400, services=3000, seed=4, no_accounts=True)
    Service.objects.filter(pk__in=Service.objects.values("pk")[:300]).update(contact_public=False)
    public = ServiceFactory(contact_public=True, telephone="0491000001")
    hidden_structure = StructureFactory(est_publiee=False)
    ServiceFactory(structure=hidden_structure)

    call_command("export_data_inclusion", out=tmp_path)

    structures, services = _read(tmp_path, "structures.json"), _read(tmp_path, "services.json")
    lines = [json.loads(line) for line in (tmp_path / "services.jsonl").read_text().splitlines()]
    assert lines == services
    assert len(services) == Service.objects.publies().count() > 2500
    assert_conformant("structure", structures)
    assert_conformant("service", services)
    assert all(record["contact_nom_prenom"] is None for record in services)
    by_id = {record["id"]: record for record in services}
    assert by_id[public.identifiant]["telephone"] == "0491000001"
    private = [s for s in Service.objects.publies() if not s.contact_public and s.courriel]
    assert private and all(by_id[s.identifiant]["courriel"] is None for s in private)
    assert hidden_structure.identifiant not in {record["id"] for record in structures}


def test_the_schema_check_does_check_formats():
    record = {"source": "x", "id": "x--1", "nom": "Structure", "date_maj": "2026-01-01"}
    assert schema_errors("structure", record) == []
    assert schema_errors("structure", {**record, "courriel": "pas une adresse"})
    assert schema_errors("structure", {**record, "site_web": "pas une url !"})
    assert schema_errors("structure", {**record, "date_maj": "23/02/2026"})


def test_import_export_import_changes_nothing(tmp_path):
    call_command("load_demo", structures=40, services=200, seed=9, no_accounts=True)
    Service.objects.update(contact_public=True)
    call_command("export_data_inclusion", out=tmp_path / "first")
    Service.objects.all().delete()
    Structure.objects.all().delete()

    structures = importer.import_structures(tmp_path / "first" / "structures.jsonl")
    services = importer.import_services(tmp_path / "first" / "services.jsonl")
    call_command("export_data_inclusion", out=tmp_path / "second")
    again = importer.import_services(tmp_path / "second" / "services.jsonl")

    assert structures.rejetes == services.rejetes == 0
    for name in ("structures.json", "services.json"):
        assert _read(tmp_path / "second", name) == _read(tmp_path / "first", name)
    assert (again.inchanges, again.mis_a_jour, again.crees) == (services.crees, 0, 0)
