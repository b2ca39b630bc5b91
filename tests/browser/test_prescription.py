"""End to end in Chromium: a prescripteur refers a person from the search, the structure
accepts through the e-mailed link and fixes an appointment, the prescripteur sees it."""

import re

from django.core import mail

import pytest
from playwright.sync_api import expect

from prescription.models import Prescription, Statut
from tests.browser.conftest import assert_accessible, keep_territoires
from tests.factories import PASSWORD, MembreFactory, ServiceFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, available_apps=keep_territoires()),
]


def log_in(page, user):
    page.goto("/comptes/connexion/")
    page.get_by_label(re.compile("Adresse e-mail")).fill(user.email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def logged_in_page(browser, live_server, user):
    """A page of a browser context of its own (its own session), `user` logged in."""
    page = browser.new_context(base_url=live_server.url, locale="fr-FR").new_page()
    log_in(page, user)
    return page


def test_prescription_from_search_to_appointment(browser, live_server, settings):
    settings.SEARCH_BACKEND = "database"
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    ServiceFactory(nom="Aide au permis solidaire", courriel="accueil@permis.example.org")
    prescripteur = MembreFactory().user

    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    page = context.new_page()
    log_in(page, prescripteur)
    page.goto("/recherche/?lieu=Marseille")
    page.get_by_role("link", name=re.compile("Orienter vers ce service")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Aide au permis solidaire")
    assert_accessible(page)
    page.locator("#id_nom").fill("Martin")
    page.locator("#id_prenom").fill("Léa")
    page.locator("#id_commune").fill("Aubagne")
    page.locator("#id_telephone").fill("0600000000")
    page.get_by_text("Mobilité", exact=True).click()
    page.locator("#id_motif").fill("Financer le permis B.")
    page.locator("label[for=id_consentement]").click()
    page.get_by_role("button", name="Envoyer la prescription").click()

    expect(page.locator("#statut")).to_have_text("Envoyée")
    expect(page.get_by_text(re.compile("RDV attendu avant le"))).to_be_visible()
    assert_accessible(page)
    detail_url = page.url

    link = re.search(r"(http://\S+/prescriptions/reponse/\S+/)", mail.outbox[0].body).group(1)
    structure = browser.new_context(locale="fr-FR").new_page()
    structure.goto(link)
    structure.get_by_role("button", name="Accepter").click()
    expect(structure.locator("#statut")).to_have_text("Acceptée")
    structure.locator("#fixer_rdv-rdv_le").fill("2026-12-03T10:30")
    structure.locator("#fixer_rdv-rdv_lieu").fill("12 rue de la République, Marseille")
    structure.get_by_role("button", name="Fixer le rendez-vous").click()
    expect(structure.locator("#statut")).to_have_text("Rendez-vous fixé")
    assert_accessible(structure)

    page.goto(detail_url)
    expect(page.locator("#statut")).to_have_text("Rendez-vous fixé")
    expect(page.get_by_text(re.compile("12 rue de la République, Marseille"))).to_be_visible()
    assert Prescription.objects.get().statut == Statut.RDV_FIXE
    page.wait_for_load_state("networkidle")
    structure.context.close()
    context.close()
