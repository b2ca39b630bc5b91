"""Geocoding: offline from the communes (for real), the BAN adapter on a BAN answer."""

import json
from pathlib import Path

import pytest
from geopy.geocoders import BANFrance

from catalogue import importer
from catalogue.models import Service
from territoires import geocoding
from territoires.models import Commune
from tests.factories import StructureFactory

pytestmark = pytest.mark.django_db

# A BAN answer in the documented format (search endpoint); this machine has no network.
BAN_ANSWER = json.loads((Path(__file__).parent / "data" / "ban_aubagne.json").read_text())


def test_offline_by_insee_code_then_by_postal_code():
    aubagne = Commune.objects.get(pk="13005")

    by_code = geocoding.locate(code_insee="13005")
    by_postal_code = geocoding.locate(code_postal="13001")  # Marseille 1er, the most populous

    assert (by_code.latitude, by_code.longitude, by_code.precision) == (
        aubagne.latitude, aubagne.longitude, "commune",
    )  # fmt: skip
    assert by_postal_code.precision == "commune"
    assert geocoding.locate(code_postal="00000") is None


def test_ban_adapter_reads_a_ban_answer():
    location = BANFrance()._parse_json(BAN_ANSWER, exactly_one=True)

    assert (round(location.latitude, 5), round(location.longitude, 5)) == (43.29263, 5.56823)
    assert geocoding.ban_precision(location) == "adresse"
    feature = BAN_ANSWER["features"][0]
    as_municipality = feature | {"properties": feature["properties"] | {"type": "municipality"}}
    municipality = BAN_ANSWER | {"features": [as_municipality]}
    assert geocoding.ban_precision(BANFrance()._parse_json(municipality, True)) == "commune"


def test_unreachable_ban_falls_back_to_the_commune(settings):
    settings.GEOCODER = "ban"
    settings.GEOCODER_BAN_URL = "http://127.0.0.1:9"  # nothing listens there
    aubagne = Commune.objects.get(pk="13005")

    found = geocoding.locate("12 rue de la République", "13400", "13005", "Aubagne")

    assert (found.latitude, found.longitude, found.precision) == (
        aubagne.latitude, aubagne.longitude, "commune",
    )  # fmt: skip


def test_imported_service_without_coordinates_is_placed_at_its_commune(tmp_path):
    structure = StructureFactory()
    record = {
        "id": "src--sans-coordonnees", "structure_id": structure.identifiant, "source": "src",
        "nom": "Atelier CV", "description": "Un atelier pour écrire son CV avec un conseiller.",
        "date_maj": "2026-10-01", "code_insee": "13005", "code_postal": "13400",
        "commune": "Aubagne",
    }  # fmt: skip
    path = tmp_path / "services.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n")

    report = importer.import_services(path)

    assert report.crees == 1, report.rejets
    service = Service.objects.get(identifiant="src--sans-coordonnees")
    assert service.precision == "commune" and service.latitude is not None


def test_the_service_page_says_the_position_is_approximate(client):
    structure = StructureFactory()
    service = Service.objects.create(
        structure=structure, nom="Atelier CV", description="Un atelier pour écrire son CV.",
        statut=Service.Statut.PUBLIE, code_insee="13005", code_postal="13400",
    )  # fmt: skip
    service.full_clean()
    service.save()

    html = client.get(f"/services/{service.pk}/").content.decode()

    assert "Position approximative" in html
