"""The admin's grid writes OSM opening hours, the text staying editable. « Ouvert maintenant »
ticked on the search page in Chromium keeps the services open at the request's time, on both
backends; « ouvert le … à … » then gives those open that day and hour; the cards read the hours
in French with an « ouvert / fermé » badge."""

import re
from datetime import UTC, datetime

import pytest
import time_machine
from playwright.sync_api import expect

from catalogue.models import Membre
from tests.browser.conftest import assert_accessible, keep_territoires, log_in_to_admin
from tests.factories import MembreFactory, ServiceFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, available_apps=keep_territoires()),
]

# Monday 30 November 2026, 14:30 in Marseille.
MONDAY_AFTERNOON = datetime(2026, 11, 30, 13, 30, tzinfo=UTC)


@pytest.fixture(params=["database", "elasticsearch"])
def catalogue(request, settings):
    """Two services open on Monday afternoons, one on Tuesdays, one without hours."""
    backend = request.getfixturevalue("elasticsearch") if request.param != "database" else None
    settings.SEARCH_BACKEND = request.param
    for nom in ("Permanence du lundi", "Atelier du lundi"):
        ServiceFactory(nom=nom, horaires_accueil="Mo 14:00-16:00")
    ServiceFactory(nom="Permanence du mardi", horaires_accueil="Tu 14:00-16:00")
    ServiceFactory(nom="Permanence sans horaires", structure__horaires_accueil="")
    if backend:
        backend.refresh()
    return request.param


def test_open_now_keeps_the_open_services(page, catalogue):
    with time_machine.travel(MONDAY_AFTERNOON, tick=True):
        api = page.request.get("/api/v1/search/services?ouvert_maintenant=1")
        assert (api.headers["x-search-backend"], api.json()["total"]) == (catalogue, 2)
        page.goto("/recherche/")
        title = page.locator("#resultats-titre")
        expect(title).to_contain_text("4 services")
        cards = page.locator(".portail-resultats > li")
        monday = cards.filter(has_text="Permanence du lundi")
        expect(monday).to_contain_text("lundi de 14 h 00 à 16 h 00")
        expect(monday.locator(".fr-badge", has_text="Ouvert maintenant")).to_be_visible()
        expect(cards.filter(has_text="Permanence du mardi")).to_contain_text("Fermé maintenant")

        page.evaluate("window.pasRecharge = true")
        box_label = page.locator("label[for=id_ouvert_maintenant]")  # DSFR draws the box on it
        box_label.click()

        expect(title).to_contain_text("2 services")
        expect(page).to_have_url(re.compile(r"ouvert_maintenant=1"))
        assert page.evaluate("window.pasRecharge") is True  # updated in place
        expect(cards).to_have_count(2)
        expect(page.locator(".portail-resultats")).not_to_contain_text("mardi")
        expect(page.locator(".portail-resultats")).not_to_contain_text("sans horaires")
        expect(page.get_by_label("Ouvert maintenant")).to_be_checked()
        assert_accessible(page)

        box_label.click()
        expect(page.get_by_label("Ouvert maintenant")).not_to_be_checked()
        expect(title).to_contain_text("4 services")
        page.get_by_label("Ouvert le").select_option("mardi")
        page.get_by_label("à", exact=True).fill("15:00")
        page.get_by_role("button", name="Appliquer les filtres").click()

        expect(title).to_contain_text("1 service")
        expect(cards).to_have_count(1)
        expect(cards).to_contain_text("Permanence du mardi")


def test_the_admin_grid_writes_the_osm_hours_and_experts_keep_the_text(page):
    membre = MembreFactory(role=Membre.Role.ADMIN)
    service = ServiceFactory(structure=membre.structure, horaires_accueil="Mo 09:00-12:00")
    log_in_to_admin(page, membre.user)
    page.goto(f"/admin/snippets/catalogue/service/edit/{service.pk}/")
    page.get_by_role("tab", name="Accueil").click()
    text = page.locator("#id_horaires_accueil")
    expect(page.get_by_label("Lundi, première plage : début")).to_have_value("09:00")

    for day in ("Mardi", "Mercredi", "Jeudi", "Vendredi"):
        page.get_by_label(f"{day}, première plage : début").fill("09:00")
        page.get_by_label(f"{day}, première plage : fin").fill("12:00")
    page.get_by_label("Vendredi, deuxième plage : début").fill("14:00")
    page.get_by_label("Vendredi, deuxième plage : fin").fill("17:00")
    page.get_by_label("Samedi, première plage : début").fill("22:00")
    page.get_by_label("Samedi, première plage : fin").fill("02:00")
    expect(text).to_have_value("Mo-Th 09:00-12:00; Fr 09:00-12:00,14:00-17:00; Sa 22:00-02:00")

    text.fill("Mo-Fr 08:00-12:00; PH off")
    text.press("Tab")
    expect(page.locator("[data-horaires-status]")).to_contain_text("ne tiennent pas dans la grille")
    # The grid cannot show « PH off »: disabled, so that no click erases it.
    expect(page.get_by_label("Lundi, première plage : début")).to_have_value("")
    expect(page.get_by_label("Jeudi, deuxième plage : début")).to_be_disabled()
    page.get_by_role("button", name=re.compile("^Enregistrer")).first.click()

    expect(page).to_have_url(re.compile(r"/admin/snippets/catalogue/service/$"))
    service.refresh_from_db()
    assert service.horaires_accueil == "Mo-Fr 08:00-12:00; PH off"
