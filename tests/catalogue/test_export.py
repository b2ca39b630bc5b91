"""The open export is data·inclusion v1, conformant record by record, without personal data."""

import json

from django.core.management import call_command

import pytest
from data_inclusion.schema import v1

from catalogue import importer
from catalogue.models import Service
from tests.factories import ServiceFactory, StructureFactory

pytestmark = pytest.mark.django_db


def test_export_is_conformant_and_leaves_out_personal_data(tmp_path):
    call_command("load_demo", structures=20, services=120, seed=4, no_accounts=True)
    public = ServiceFactory(contact_public=True, telephone="0491000001")
    hidden_structure = StructureFactory(est_publiee=False)
    ServiceFactory(structure=hidden_structure)

    call_command("export_data_inclusion", out=tmp_path)

    structures = json.loads((tmp_path / "structures.json").read_text())
    services = json.loads((tmp_path / "services.json").read_text())
    lines = [json.loads(line) for line in (tmp_path / "services.jsonl").read_text().splitlines()]
    assert lines == services
    assert len(services) == Service.objects.publies().count()
    for record in structures:
        v1.Structure.model_validate(record)
    for record in services:
        v1.Service.model_validate(record)
    assert all(record["contact_nom_prenom"] is None for record in services)
    by_id = {record["id"]: record for record in services}
    assert by_id[public.identifiant]["telephone"] == "0491000001"
    private = [s for s in Service.objects.publies() if not s.contact_public and s.courriel]
    assert private and all(by_id[s.identifiant]["courriel"] is None for s in private)
    assert hidden_structure.identifiant not in {record["id"] for record in structures}


def test_what_is_exported_imports_back_unchanged(tmp_path):
    ServiceFactory.create_batch(3, contact_public=True)
    call_command("export_data_inclusion", out=tmp_path)
    before = json.loads((tmp_path / "services.json").read_text())

    report = importer.import_services(tmp_path / "services.jsonl")

    assert report.mis_a_jour == 3 and not report.rejets
    call_command("export_data_inclusion", out=tmp_path)
    assert json.loads((tmp_path / "services.json").read_text()) == before
