"""Opening hours where people read and type them: the admin's helper and its French message,
the structure's public page (hours, « ouvert maintenant », Acceslibre, réseaux porteurs), the
search page's cards and its « ouvert maintenant » box."""

from datetime import UTC, datetime
from html import unescape

import pytest
import time_machine

from catalogue.models import Membre
from tests.catalogue.test_admin import SERVICES, _service_form
from tests.factories import MembreFactory, ServiceFactory, StructureFactory

pytestmark = pytest.mark.django_db

ACCESLIBRE = "https://acceslibre.beta.gouv.fr/app/13-marseille/a/centre-social/erp/tremplin/"
# Monday 30 November 2026, 14:30 in Marseille.
MONDAY_AFTERNOON = datetime(2026, 11, 30, 13, 30, tzinfo=UTC)


def test_the_admin_offers_the_helper_and_explains_bad_hours(client):
    membre = MembreFactory(role=Membre.Role.MEMBRE)
    service = ServiceFactory(structure=membre.structure, horaires_accueil="Mo 09:00-12:00")
    client.force_login(membre.user)

    form = client.get(f"{SERVICES}edit/{service.pk}/").content.decode()
    assert "data-horaires-picker" in form and "js/horaires.js" in form
    assert 'value="Mo 09:00-12:00"' in form

    response = client.post(
        f"{SERVICES}edit/{service.pk}/", _service_form(service, horaires_accueil="Mo-Fr 9h-12h")
    )
    assert response.status_code == 200
    assert (
        "Horaires illisibles au format OpenStreetMap à partir de « 9h-12h » (caractère 7)."
        in unescape(response.content.decode())
    )
    service.refresh_from_db()
    assert service.horaires_accueil == "Mo 09:00-12:00"


def test_the_structure_page_shows_hours_accessibility_and_networks(client):
    structure = StructureFactory(
        horaires_accueil="Mo-Fr 14:00-17:00",
        accessibilite_lieu=ACCESLIBRE,
        reseaux_porteurs=["action-logement", "agefiph"],
    )

    with time_machine.travel(MONDAY_AFTERNOON, tick=True):
        html = unescape(client.get(structure.get_absolute_url()).content.decode())

    assert "Horaires d'accueil" in html
    assert "du lundi au vendredi de 14 h 00 à 17 h 00" in html
    assert "Ouvert maintenant" in html
    assert f'href="{ACCESLIBRE}"' in html
    assert "Réseaux porteurs :</strong> Action Logement, Agefiph" in html


def test_the_structure_page_says_closed_and_hides_a_link_that_is_not_acceslibre(client):
    structure = StructureFactory(
        horaires_accueil="Tu 09:00-10:00", accessibilite_lieu="https://example.org/acces"
    )

    with time_machine.travel(MONDAY_AFTERNOON, tick=True):
        html = client.get(structure.get_absolute_url()).content.decode()

    assert "Fermé maintenant" in html and "Ouvert maintenant" not in html
    assert "example.org" not in html and "Acceslibre" not in html


def test_search_cards_show_hours_and_the_box_keeps_only_open_services(client, settings):
    settings.SEARCH_BACKEND = "database"
    open_now = ServiceFactory(nom="Permanence ouverte", horaires_accueil="Mo 14:00-15:00")
    closed = ServiceFactory(nom="Permanence fermée", horaires_accueil="Tu 14:00-15:00")
    ServiceFactory(nom="Permanence sans horaires", structure__horaires_accueil="")

    with time_machine.travel(MONDAY_AFTERNOON, tick=True):
        every = unescape(client.get("/recherche/").content.decode())
        only_open = unescape(client.get("/recherche/", {"ouvert_maintenant": "1"}).content.decode())

    assert "3 services" in every
    assert "lundi de 14 h 00 à 15 h 00" in every and "mardi de 14 h 00 à 15 h 00" in every
    assert every.count("Ouvert maintenant</p>") == 1
    assert every.count("Fermé maintenant</p>") == 1
    assert 'name="ouvert_maintenant" value="1">' in every
    assert "1 service" in only_open and open_now.nom in only_open and closed.nom not in only_open
    assert 'name="ouvert_maintenant" value="1" checked>' in only_open
