"""Records and zones written with a former commune (Cran-Gevrier, part of Annecy since 2017)."""

import json

import pytest

from catalogue import importer
from catalogue.fields import ZoneField
from catalogue.models import Service, Structure
from territoires.models import Commune

pytestmark = pytest.mark.django_db

STRUCTURE = {
    "source": "src", "id": "src--cran", "nom": "Maison des solidarités de Cran-Gevrier",
    "date_maj": "2026-10-01", "code_insee": "74093", "code_postal": "74960",
    "commune": "Cran-Gevrier", "adresse": "2 place de la Mairie",
}  # fmt: skip
SERVICE = {
    "source": "src", "id": "src--cran-permanence", "structure_id": "src--cran",
    "nom": "Permanence emploi", "date_maj": "2026-10-01",
    "description": "Une permanence pour chercher un emploi avec une conseillère.",
    "modes_accueil": ["a-distance"], "zone_eligibilite": ["74093", "74010"],
}  # fmt: skip


def _import(tmp_path, nature, record):
    path = tmp_path / f"{nature}.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    return importer.import_structures(path) if nature == "s" else importer.import_services(path)


def test_a_record_with_a_former_code_is_imported_at_its_current_commune(tmp_path):
    annecy = Commune.objects.get(pk="74010")

    structures = _import(tmp_path, "s", STRUCTURE)
    services = _import(tmp_path, "sv", SERVICE)

    assert (structures.crees, services.crees) == (1, 1), (structures.rejets, services.rejets)
    structure = Structure.objects.get(identifiant="src--cran")
    assert (structure.code_insee, structure.commune) == ("74010", "Cran-Gevrier")
    assert (structure.latitude, structure.longitude) == (annecy.latitude, annecy.longitude)
    assert Service.objects.get(identifiant="src--cran-permanence").zone_eligibilite == ["74010"]


def test_a_zone_typed_with_a_former_code_is_its_current_commune():
    assert ZoneField().clean("74093, 13") == ["74010", "13"]


def test_a_service_zoned_on_a_former_code_is_found_from_it(tmp_path, client, settings):
    settings.SEARCH_BACKEND = "database"
    _import(tmp_path, "s", STRUCTURE)
    _import(tmp_path, "sv", SERVICE)

    response = client.get("/api/v1/search/services", {"code_commune": "74093"})

    assert [item["service"]["id"] for item in response.json()["items"]] == ["src--cran-permanence"]
