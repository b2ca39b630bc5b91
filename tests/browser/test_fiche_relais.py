"""The fiche relais journey in Chromium (the part built so far), axe on every page:
référent A follows a person, records her consent, drafts and sends the fiche; the
coordination reads it; référent B takes over."""

import re

import pytest
from playwright.sync_api import expect

from fiche_relais.models import Personne
from tests.browser.conftest import assert_accessible, keep_territoires
from tests.browser.test_prescription import log_in
from tests.factories import CoordinationFactory, MembreFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, available_apps=keep_territoires()),
]


def test_fiche_relais_journey(browser, live_server, settings):
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    referent_a, referent_b = MembreFactory().user, MembreFactory().user
    coordinator = UserFactory()
    CoordinationFactory(membres=[coordinator])

    def new_page(user):
        page = browser.new_context(base_url=live_server.url, locale="fr-FR").new_page()
        log_in(page, user)
        return page

    a = new_page(referent_a)
    a.goto("/parcours/")
    assert_accessible(a)
    a.get_by_role("link", name="Accompagner une nouvelle personne").click()
    a.locator("#id_nom").fill("Durand")
    a.locator("#id_prenom").fill("Inès")
    a.locator("#id_commune_texte").fill("Aubagne")
    a.locator("#id_dispositif").fill("PLIE")
    a.locator("#id_contrat").select_option("plie")
    a.locator("#id_debut").fill("2026-05-04")
    assert_accessible(a)
    a.get_by_role("button", name="Enregistrer").click()
    expect(a.get_by_role("heading", level=1)).to_have_text("Parcours de Inès Durand")
    a.locator("#id_mode").select_option("accord")
    a.get_by_role("button", name="Enregistrer le consentement").click()
    expect(a.get_by_text("Consentement enregistré.")).to_be_visible()
    assert_accessible(a)
    a.get_by_role("button", name="Rédiger une fiche relais").click()
    a.locator("#id_historique").fill("Six mois au PLIE, projet d'aide à domicile.")
    a.locator("#id_diag_mobilite_statut").select_option("frein-identifie")
    assert_accessible(a)
    a.get_by_role("button", name="Enregistrer le brouillon").click()
    a.locator("#id_destinataire").fill(referent_b.email)
    a.locator("#id_dispositif_propose").fill("CEJ")
    a.locator("#id_contrat_propose").select_option("cej")
    a.locator("#id_consentement").select_option(index=1)
    a.get_by_role("button", name="Envoyer la fiche").click()
    expect(a.locator("#statut")).to_have_text("Envoyée")
    assert_accessible(a)
    fiche_url = a.url

    coordination = new_page(coordinator)
    coordination.goto(fiche_url)
    expect(coordination.get_by_text("Six mois au PLIE, projet d'aide à domicile.")).to_be_visible()
    expect(coordination.get_by_role("heading", name="Qui a lu cette fiche")).to_be_visible()

    b = new_page(referent_b)
    b.goto("/parcours/")
    b.get_by_role("link", name="Inès Durand").click()
    b.get_by_role("button", name="Je prends le relais").click()
    expect(b.get_by_role("heading", level=1)).to_have_text("Parcours de Inès Durand")
    expect(b.get_by_text(re.compile("CEJ .*en cours"))).to_be_visible()
    assert_accessible(b)
    assert Personne.objects.get().etape_en_cours.referent == referent_b
    for page in (a, coordination, b):
        page.wait_for_load_state("networkidle")
        page.context.close()
