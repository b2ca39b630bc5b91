"""The zone d'éligibilité picker of the admin: zones by name, with their codes."""

import pytest

from catalogue.fields import ZoneField
from territoires import services
from tests.factories import MembreFactory, ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("bouches", "Bouches-du-Rhône (département 13)"),
        ("13", "Bouches-du-Rhône (département 13)"),
        ("fra", "France entière"),
        ("aix-marseille", "Métropole d'Aix-Marseille-Provence (EPCI 200054807)"),
        ("200054807", "Métropole d'Aix-Marseille-Provence (EPCI 200054807)"),
        ("cuges", "Cuges-les-Pins (commune 13030)"),
        ("74093", "Annecy (commune 74010)"),  # Cran-Gevrier, a former commune
    ],
)
def test_zones_are_found_by_name_or_code(client, typed, first):
    response = client.get("/territoires/zones/", {"q": typed})

    assert response.json()["results"][0]["libelle"] == first


def test_the_zones_of_a_department_are_offered_with_their_kind():
    found = services.search_zones("marseille")

    assert {(z.kind, z.code) for z in found} >= {("epci", "200054807"), ("commune", "13055")}


def test_the_admin_shows_the_chosen_zones_by_name_and_keeps_the_codes(client):
    membre = MembreFactory()
    service = ServiceFactory(
        structure=membre.structure, zone_eligibilite=["13", "200054807", "13055", "france"]
    )
    client.force_login(membre.user)

    html = client.get(f"/admin/snippets/catalogue/service/edit/{service.pk}/").content.decode()

    assert "data-zone-picker" in html and 'data-zones-url="/territoires/zones/"' in html
    for label in (
        "Bouches-du-Rhône (département 13)",
        "Métropole d&#x27;Aix-Marseille-Provence (EPCI 200054807)",
        "Marseille (commune 13055)",
        "France entière",
    ):
        assert label in html
    assert 'value="13, 200054807, 13055, france"' in html
    assert "js/zones.js" in html


def test_the_codes_box_still_reads_typed_codes():
    assert ZoneField().clean("13 ; 200054807,13055") == ["13", "200054807", "13055"]
