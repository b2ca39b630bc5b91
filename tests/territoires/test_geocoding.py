"""Geocoding: offline from the communes (for real), the BAN adapter on a BAN answer."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from io import StringIO
from pathlib import Path

from django.core.management import call_command

import pytest
from geopy.geocoders import BANFrance

from catalogue import importer
from catalogue.models import Service
from search.models import IndexPayload
from territoires import geocoding
from territoires.models import Commune
from tests.factories import ServiceFactory, StructureFactory

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
    settings.GEOCODER_URL = "http://127.0.0.1:9/search"  # nothing listens there
    aubagne = Commune.objects.get(pk="13005")

    found = geocoding.locate("12 rue de la République", "13400", "13005", "Aubagne")

    assert (found.latitude, found.longitude, found.precision) == (
        aubagne.latitude, aubagne.longitude, "commune",
    )  # fmt: skip


def test_imported_service_without_coordinates_is_placed_at_its_commune(tmp_path):
    structure = StructureFactory(source="src")
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


class RecordedBan(BaseHTTPRequestHandler):
    """Answers every search request (under `prefix`) with the recorded BAN answer."""

    prefix = "/search"

    def do_GET(self):
        body = json.dumps(BAN_ANSWER).encode()
        self.send_response(200 if self.path.startswith(self.prefix) else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def ban_server(settings):
    server = HTTPServer(("127.0.0.1", 0), RecordedBan)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.GEOCODER = "ban"
    settings.GEOCODER_URL = f"http://127.0.0.1:{server.server_port}/search/"
    yield server
    server.shutdown()
    server.server_close()


def test_a_later_geocoding_upgrades_a_commune_position(ban_server, tmp_path):
    structure = StructureFactory()
    service = ServiceFactory(
        structure=structure, adresse="12 rue de la République", code_postal="13400",
        code_insee="13005", commune="Aubagne", latitude=None, longitude=None,
    )  # fmt: skip
    Service.objects.filter(pk=service.pk).update(precision="commune")
    unplaceable = ServiceFactory(structure=structure, adresse="")
    Service.objects.filter(pk=unplaceable.pk).update(precision="commune")
    out = StringIO()

    call_command("geocode_addresses", stdout=out)

    service.refresh_from_db()
    assert service.precision == "adresse"
    assert (round(service.latitude, 5), round(service.longitude, 5)) == (43.29263, 5.56823)
    assert IndexPayload.objects.get(pk=service.pk).payload["precision_position"] == "adresse"
    assert "services : 1 position(s) améliorée(s) sur 1." in out.getvalue()
    call_command("geocode_addresses", stdout=out)
    assert "services : 0 position(s) améliorée(s) sur 0." in out.getvalue()


def test_offline_the_upgrade_says_it_cannot(settings):
    out = StringIO()
    call_command("geocode_addresses", stdout=out)
    assert "Géocodeur hors ligne" in out.getvalue()


def test_the_default_geocoder_is_the_ign_geoplateforme_and_its_url_is_kept():
    geocoder = geocoding.AddressSearch("https://data.geopf.fr/geocodage/search", timeout=3)
    assert geocoder.url_for("12 rue de la République 13400 Aubagne") == (
        "https://data.geopf.fr/geocodage/search?q=12+rue+de+la+R%C3%A9publique+13400+Aubagne&limit=1"
    )


def test_the_ban_is_an_alternative_url_and_a_given_query_is_kept():
    ban = geocoding.AddressSearch("https://api-adresse.data.gouv.fr/search/?type=housenumber", 3)
    assert ban.url_for("Aubagne") == (
        "https://api-adresse.data.gouv.fr/search/?type=housenumber&q=Aubagne&limit=1"
    )


class RecordingGeoplateforme(RecordedBan):
    prefix = "/geocodage/search?"
    paths = []

    def do_GET(self):
        self.paths.append(self.path)
        super().do_GET()


def test_the_online_geocoder_calls_the_full_url_given(settings):
    server = HTTPServer(("127.0.0.1", 0), RecordingGeoplateforme)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.GEOCODER = "ban"
    settings.GEOCODER_URL = f"http://127.0.0.1:{server.server_port}/geocodage/search?index=address"
    try:
        found = geocoding.locate("12 rue de la République", "13400", "13005", "Aubagne")
    finally:
        server.shutdown()
        server.server_close()
    assert RecordingGeoplateforme.paths == [
        "/geocodage/search?index=address&q=12+rue+de+la+R%C3%A9publique+13400+Aubagne&limit=1"
    ]
    assert found.precision == "adresse" and round(found.latitude, 5) == 43.29263
