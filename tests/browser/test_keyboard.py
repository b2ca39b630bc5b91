"""The key journeys done with the keyboard only, axe on every page they go through: a person
looks for a service from the home page; a professional logs in, finds a service and refers a
person; a référent starts a parcours, records consent and drafts a fiche relais; the coordination
opens its dashboard from the header."""

import re

import pytest
from playwright.sync_api import expect

from fiche_relais.models import FicheRelais
from pages.demo import create_editorial_pages
from prescription.models import Prescription
from tests.browser.conftest import assert_accessible, keep_territoires
from tests.browser.keyboard import log_in, press_on, tab_to, type_into
from tests.factories import (
    PASSWORD,
    CoordinationFactory,
    MembreFactory,
    ServiceFactory,
    UserFactory,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, available_apps=keep_territoires()),
]


@pytest.fixture
def new_page(browser, live_server):
    contexts = []

    def open_page():
        context = browser.new_context(base_url=live_server.url, locale="fr-FR")
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.pages[0].wait_for_load_state("networkidle")
        context.close()


def test_a_person_finds_a_service_from_the_home_page(new_page, settings):
    settings.SEARCH_BACKEND = "database"
    create_editorial_pages()
    service = ServiceFactory(nom="Aide au permis solidaire")
    page = new_page()
    page.goto("/")
    assert_accessible(page)

    press_on(page, "a[href='#content']", key="Enter")  # the skip link comes first
    type_into(page, "#recherche-accueil-champ", "permis")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/recherche/\?q=permis"))
    assert_accessible(page)
    press_on(page, "a", text=service.nom, key="Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(service.nom)
    assert_accessible(page)
    press_on(page, "p a", text=service.structure.nom, key="Enter")  # « Proposé par … »
    expect(page.get_by_role("heading", level=1)).to_have_text(service.structure.nom)
    assert_accessible(page)
    press_on(page, "a", text="Accessibilité : non conforme", key="Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Déclaration d'accessibilité")
    assert_accessible(page)


def test_a_professional_refers_a_person_with_the_keyboard(new_page, settings):
    settings.SEARCH_BACKEND = "database"
    service = ServiceFactory(nom="Aide au permis solidaire")
    page = new_page()
    page.goto("/comptes/connexion/")
    assert_accessible(page)
    log_in(page, UserFactory(), PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")
    assert_accessible(page)  # with the invitation to join a structure

    page.goto("/recherche/?lieu=Marseille")
    press_on(page, "a", text="Orienter vers ce service", key="Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text(service.nom)
    type_into(page, "#id_nom", "Martin")
    type_into(page, "#id_prenom", "Léa")
    type_into(page, "#id_commune", "Aubagne")
    type_into(page, "#id_telephone", "0600000000")
    press_on(page, "input[type=checkbox][value=mobilite]", key="Space")
    type_into(page, "#id_motif", "Financer le permis B.")
    press_on(page, "#id_consentement", key="Space")
    press_on(page, "button", text="Envoyer la prescription", key="Enter")

    expect(page.locator("#statut")).to_have_text("Envoyée")
    assert Prescription.objects.get().nom == "Martin"
    assert_accessible(page)


def test_a_referent_starts_a_parcours_and_drafts_a_fiche_with_the_keyboard(new_page):
    page = new_page()
    log_in(page, MembreFactory().user, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")

    press_on(page, "a", text="Ma file active", key="Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ma file active")
    press_on(page, "a", text="Accompagner une nouvelle personne", key="Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Accompagner une nouvelle personne")
    type_into(page, "#id_nom", "Durand")
    type_into(page, "#id_prenom", "Inès")
    type_into(page, "#id_commune_texte", "Aubagne")
    type_into(page, "#id_dispositif", "PLIE")
    tab_to(page, "#id_contrat")
    page.keyboard.type("PLIE")  # a focused list selects the option typed
    type_into(page, "#id_debut", "04052026")
    assert_accessible(page)
    press_on(page, "button", text="Enregistrer", key="Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Parcours d'Inès Durand")
    tab_to(page, "#id_mode")
    page.keyboard.type("Accord")
    press_on(page, "button", text="Enregistrer le consentement", key="Enter")
    expect(page.get_by_text("Consentement enregistré.")).to_be_visible()
    press_on(page, "button", text="Rédiger une fiche relais", key="Enter")
    expect(page.locator(".fr-stepper__state")).to_have_text("Étape 1 sur 7")
    press_on(page, "button", text="Enregistrer et continuer", key="Enter")
    expect(page.locator("#id_historique")).to_be_visible()
    type_into(page, "#id_historique", "Six mois au PLIE, projet d'aide à domicile.")
    press_on(page, "button", text="Enregistrer et continuer", key="Enter")

    expect(page.locator(".fr-stepper__title")).to_contain_text("Socle commun de diagnostic")
    tab_to(page, "#id_diag_mobilite_statut")
    page.keyboard.type("Frein")  # a focused list selects the option typed
    press_on(page, "button", text="Enregistrer et continuer", key="Enter")
    expect(page.locator(".fr-stepper__state")).to_have_text("Étape 4 sur 7")
    press_on(page, "a", text="Voir la fiche entière", key="Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Fiche relais d'Inès Durand")
    contenu = FicheRelais.objects.get().derniere_version.contenu
    assert "Six mois au PLIE" in contenu["historique"]
    assert contenu["diagnostic"]["mobilite"]["statut"] == "frein-identifie"
    assert_accessible(page)


def test_the_coordination_opens_its_dashboards_with_the_keyboard(new_page):
    coordinator = UserFactory()
    CoordinationFactory(membres=[coordinator])
    page = new_page()
    log_in(page, coordinator, PASSWORD)

    press_on(page, "a", text="Coordination SPIE", key="Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("offre du territoire")
    assert_accessible(page)
    page.goto("/parcours/tableau-de-bord/")
    assert_accessible(page)
    page.goto("/prescriptions/coordination/")
    assert_accessible(page)


def test_the_visible_focus_check_can_fail(new_page):
    page = new_page()
    page.goto("/comptes/connexion/")
    page.add_style_tag(
        content="*, *::before, *::after { outline: none !important; box-shadow: none !important }"
    )

    with pytest.raises(AssertionError, match="Focus invisible"):
        tab_to(page, "#id_username")
