"""The register and accessibility pages; a coordination answers a person's access request with
everything the portal holds about her in its territory, and nobody else can."""

import datetime
import json

import pytest

from fiche_relais.models import Personne
from tests.factories import CoordinationFactory, PrescriptionFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/parcours/coordination/donnees-personne/"


def test_the_register_and_the_accessibility_statement_are_public(client):
    register = client.get("/donnees-personnelles/").content.decode()
    assert "24 mois après la clôture" in register and "15 minutes" in register
    assert "Déclaration d'accessibilité" in client.get("/accessibilite/").content.decode()


@pytest.mark.parametrize("path", ["/recherche/", "/comptes/connexion/", "/accessibilite/"])
def test_every_page_links_to_them_from_its_footer(client, path):
    footer = client.get(path).content.decode().split('id="footer"')[1]

    assert 'href="/accessibilite/">Accessibilité : non conforme</a>' in footer
    assert 'href="/donnees-personnelles/">Données personnelles</a>' in footer


def test_the_coordination_exports_all_about_one_person_of_its_territory(client):
    coordinator = UserFactory()
    CoordinationFactory(membres=[coordinator])
    born = datetime.date(1990, 5, 4)
    mine = PrescriptionFactory(nom="Martin", prenom="Léa", date_naissance=born)
    PrescriptionFactory(nom="Martin", prenom="Léa", date_naissance=born, commune_id="81004")
    PrescriptionFactory(nom="Martin", prenom="Paul")
    Personne.objects.create(
        nom="MARTIN", prenom="Lea", date_naissance=born, commune_id="13005", cree_par=coordinator
    )
    client.force_login(coordinator)

    response = client.post(URL, {"nom": "martin", "prenom": "Léa", "date_naissance": "1990-05-04"})

    assert response["Content-Disposition"] == 'attachment; filename="donnees-personne.json"'
    data = json.loads(response.content)
    assert [p["id"] for p in data["prescriptions"]] == [mine.pk]  # not Tarn's, not Paul's
    assert data["prescriptions"][0]["motif"] == mine.motif
    assert data["prescriptions"][0]["historique"] == []
    assert len(data["parcours"]) == 1 and data["parcours"][0]["nom"] == "MARTIN"


def test_only_a_coordination_can_export(client):
    client.force_login(UserFactory())
    assert client.post(URL, {"nom": "Martin", "prenom": "Léa"}).status_code == 404
    client.logout()
    assert client.get(URL).status_code == 302
