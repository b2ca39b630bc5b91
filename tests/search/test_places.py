"""The place of a search as people write it, on both backends, and the `lieu` echoed."""

import pytest
from geopy.distance import great_circle

from territoires.models import Commune
from tests.catalogue.test_importer import STRUCTURE
from tests.catalogue.test_service_at_structure import SERVICE, import_with_structure
from tests.factories import ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def zoned_on_marseille_16e():
    """A remote service for the people of Marseille 16e only, and one on site in the 16e."""
    remote = ServiceFactory(
        nom="Permanence téléphonique du 16e", modes_accueil=["a-distance"],
        zone_eligibilite=["13216"],
    )  # fmt: skip
    sixteenth = Commune.objects.get(pk="13216")
    on_site = ServiceFactory(
        nom="Atelier de l'Estaque", code_insee="13216", code_postal="13016",
        latitude=sixteenth.latitude, longitude=sixteenth.longitude,
    )  # fmt: skip
    return remote, on_site


def _ids(response):
    return [item["service"]["id"] for item in response.json()["items"]]


def test_an_arrondissement_postal_code_searches_from_that_arrondissement(
    search_api, zoned_on_marseille_16e
):
    remote, on_site = zoned_on_marseille_16e

    by_postal_code = search_api(code_postal="13016", distance="1")
    by_code = search_api(code_commune="13216", distance="1")
    from_the_first = search_api(code_postal="13001", distance="1")

    assert by_postal_code.status_code == 200
    assert _ids(by_postal_code) == _ids(by_code) == [on_site.identifiant, remote.identifiant]
    assert by_postal_code.json()["items"][0]["distance"] == 0
    assert remote.identifiant not in _ids(from_the_first)
    lieu = by_postal_code.json()["lieu"]
    assert (lieu["code_insee"], lieu["code_postal"], lieu["interpretation"]) == (
        "13216", "13016", "code_postal",
    )  # fmt: skip


def test_a_former_commune_code_and_name_search_from_its_commune(search_api):
    by_code = search_api(code_commune="74093")
    by_name = search_api(lieu="Cran-Gevrier")

    assert by_code.status_code == by_name.status_code == 200
    assert by_code.json()["lieu"] | {"interpretation": None} == by_name.json()["lieu"] | {
        "interpretation": None
    }
    assert by_code.json()["lieu"]["nom"] == "Cran-Gevrier (Annecy)"
    assert by_code.json()["lieu"]["code_insee"] == "74010"


def test_every_answer_echoes_the_place_understood(search_api):
    strasbourg = Commune.objects.get(pk="67482")

    response = search_api(lieu="Strasbourg 67000")

    assert response.status_code == 200
    assert response.json()["lieu"] == {
        "code_insee": "67482",
        "nom": "Strasbourg",
        "code_postal": "67000",
        "departement": "67",
        "latitude": strasbourg.latitude,
        "longitude": strasbourg.longitude,
        "precision": "commune",
        "interpretation": "nom_et_code_postal",
    }
    assert search_api().json()["lieu"] is None
    point = search_api(lat="43.2965", lon="5.3698").json()["lieu"]
    assert (point["precision"], point["code_insee"]) == ("point", "13055")


def test_an_ambiguous_place_is_a_400_with_the_candidates(search_api):
    response = search_api(lieu="privat")

    assert response.status_code == 400
    assert "lieu" in response.json()["errors"]
    candidates = response.json()["candidats"]
    assert {"code_insee": "07186", "nom": "Privas", "departement": "07"} in candidates
    assert {"code_insee": "30294", "nom": "Saint-Privat-des-Vieux", "departement": "30"} in (
        candidates
    )


def test_the_page_proposes_the_choices_instead_of_picking_one(client, database_backend):
    html = client.get("/recherche/", {"lieu": "privat"}).content.decode()

    assert 'id="lieu-choix"' in html
    assert "Privas (07)" in html and "Saint-Privat-des-Vieux (30)" in html
    assert "code_commune=07186" in html


def test_the_page_says_how_it_read_a_code(client, database_backend):
    html = client.get("/recherche/", {"lieu": "97411"}).content.decode()

    assert "Lieu compris (code postal) : Saint-Paul (974)" in html
    assert "c'est aussi le code INSEE de" in html and "code_commune=97411" in html


def test_the_page_says_an_offline_address_is_approximate(client, database_backend):
    html = client.get("/recherche/", {"lieu": "12 rue de la République 13400 Aubagne"})

    assert "Lieu compris (adresse) : Aubagne (13), position approximative" in html.content.decode()


def test_an_on_site_service_without_address_is_found_at_its_structure(tmp_path, search_api):
    import_with_structure(tmp_path, SERVICE | {"date_maj": "2026-11-01"})

    response = search_api(lat="43.92731", lon="2.14636", distance="1")  # Albi's town hall

    (item,) = response.json()["items"]
    from_structure = great_circle(
        (43.92731, 2.14636), (STRUCTURE["latitude"], STRUCTURE["longitude"])
    )
    assert item["distance"] == round(from_structure.km, 2)
    assert (item["service"]["adresse"], item["service"]["code_postal"]) == (
        "3 rue de la Paix", "81000",
    )  # fmt: skip
    assert (item["service"]["latitude"], item["service"]["position_de_la_structure"]) == (
        43.928, True,
    )  # fmt: skip
    assert item["service"]["precision_position"] == "adresse"
