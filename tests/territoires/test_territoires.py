import importlib

from django.apps import apps as django_apps

import pytest

from territoires import services
from territoires.loading import load_territoires
from territoires.models import EPCI, AncienneCommune, CodePostal, Commune, Departement, Region

pytestmark = pytest.mark.django_db


def test_reference_data_is_complete_and_reloading_never_duplicates():
    counts = load_territoires()
    assert counts == {
        "régions": 18,
        "départements": 101,
        "EPCI": 1255,
        "communes": 34920,
        "codes postaux": CodePostal.objects.count(),
        "anciennes communes": 4750,
    }
    assert Region.objects.count() == 18
    assert Departement.objects.count() == 101
    assert EPCI.objects.count() == 1255
    assert Commune.objects.count() == 34920
    assert AncienneCommune.objects.count() == 4750


def test_commune_by_insee_code():
    marseille = services.get_commune("13055")
    assert marseille.nom == "Marseille"
    assert marseille.departement_id == "13"
    assert marseille.region_id == "93"
    assert marseille.epci_id == "200054807"
    assert services.get_commune("99999") is None


def test_postal_code_gives_its_arrondissement_then_communes_most_populous_first():
    communes = list(services.communes_for_postal_code("13001"))
    assert communes[0].code_insee == "13201"  # the 1er arrondissement before Marseille
    assert [c.code_insee for c in services.communes_for_postal_code("07000")][:2] == [
        "07186", "07072",
    ]  # fmt: skip
    assert {c.code_insee for c in communes} == {"13055", "13201"}
    assert list(services.communes_for_postal_code("00000")) == []


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("ile d yeu", "85113"),
        ("L'Île-d'Y", "85113"),
        ("privas", "07186"),
        ("STRASB", "67482"),
        ("boersch", "67052"),  # Bœrsch
        ("BŒRSCH", "67052"),
        ("hay les roses", "94038"),  # L'Haÿ-les-Roses
    ],
)
def test_autocomplete_ignores_accents_case_and_hyphens(typed, expected):
    assert services.search_communes(typed)[0].code_insee == expected


def test_a_transliterated_name_resolves_to_its_commune():
    assert services.resolve_commune("Boersch (67530)").nom == "Bœrsch"


def test_the_data_migration_folds_stored_names_again():
    """Names stored by the earlier folding (accents stripped, œ kept) are folded again."""
    refold = importlib.import_module("territoires.migrations.0002_nom_normalise_transliterated")
    Commune.objects.filter(pk="67052").update(nom_normalise="bœrsch")
    assert services.search_communes("boersch") == []

    refold.refold(django_apps, None)

    assert Commune.objects.get(pk="67052").nom_normalise == "boersch"
    assert [c.code_insee for c in services.search_communes("boersch")] == ["67052"]


def test_autocomplete_by_postal_code_prefix():
    assert services.search_communes("8100")[0].code_insee == "81004"  # Albi


@pytest.mark.parametrize(
    ("latitude", "longitude", "departement", "epci", "commune"),
    [
        (43.2976, 5.3694, "13", "200054807", "13055"),  # Marseille, Hôtel de Ville
        (43.9273, 2.1464, "81", "248100737", "81004"),  # Albi
        (48.5733, 7.7520, "67", "246700488", "67482"),  # Strasbourg
        (44.7353, 4.5990, "07", "200071413", "07186"),  # Privas
    ],
)
def test_point_gives_departement_epci_and_nearest_commune(
    latitude, longitude, departement, epci, commune
):
    location = services.locate(latitude, longitude)
    assert location.departement_code == departement
    assert location.epci_code == epci
    assert location.commune.code_insee == commune


@pytest.mark.parametrize(
    ("latitude", "longitude"),
    [(51.5074, -0.1278), (40.4168, -3.7038), (45.0, -10.0)],  # London, Madrid, Atlantic
)
def test_points_outside_france_are_not_located(latitude, longitude):
    assert services.locate(latitude, longitude) is None
    assert not services.is_in_france(latitude, longitude)


def test_zone_codes_are_recognised_by_kind():
    assert services.zone_kind("13055") == services.ZoneKind.COMMUNE
    assert services.zone_kind("200054807") == services.ZoneKind.EPCI
    assert services.zone_kind("2A") == services.ZoneKind.DEPARTEMENT
    assert services.zone_kind("france") == services.ZoneKind.FRANCE
    assert services.zone_kind("12345") is None


def test_autocomplete_endpoint(client):
    response = client.get("/territoires/communes/", {"q": "albi"})
    assert response.status_code == 200
    first = response.json()["results"][0]
    assert first == {
        "code_insee": "81004",
        "nom": "Albi",
        "departement": "81",
        "codes_postaux": ["81000"],
    }


def test_autocomplete_endpoint_rejects_too_short_queries(client):
    response = client.get("/territoires/communes/", {"q": "a"})
    assert response.status_code == 400
    assert "q" in response.json()["errors"]
