"""The fiche relais form, the file active and the coordination's pages in Chromium, axe on each:
the steps of the SPIE 13 template, the receiving structure picked among homonyms by its
suggestion, filters of the file active, the dashboard's formulas, the commission's agenda.
Screenshots go to $PORTAIL_SCREENSHOTS when set."""

import os
from datetime import timedelta

from django.utils import timezone

import pytest
from playwright.sync_api import expect

from fiche_relais.models import FicheRelais
from tests.browser.conftest import assert_accessible, keep_territoires
from tests.browser.test_prescription import logged_in_page
from tests.factories import CoordinationFactory, MembreFactory, StructureFactory, UserFactory
from tests.fiche_relais.factories import (
    CommissionFactory,
    ConsentementFactory,
    EtapeFactory,
    SituationFactory,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, available_apps=keep_territoires()),
]


def shot(page, name):
    folder = os.environ.get("PORTAIL_SCREENSHOTS")
    if folder:
        page.screenshot(path=f"{folder}/{name}.png", full_page=True)


def test_the_referent_writes_step_by_step_and_picks_the_structure(browser, live_server):
    referent = MembreFactory().user
    structure = referent.memberships.get().structure
    lille = StructureFactory(nom="Mission locale", commune="Lille", code_insee="59350",
                             code_postal="59000", siret="13002526500013")  # fmt: skip
    aubagne = StructureFactory(nom="Mission locale", commune="Aubagne", code_insee="13005",
                               code_postal="13400", siret="44306184100047")  # fmt: skip
    personne = EtapeFactory(referent=referent, structure=structure).personne
    ConsentementFactory(personne=personne, recueilli_par=referent)
    page = logged_in_page(browser, live_server, referent)

    page.goto(f"/parcours/personnes/{personne.pk}/")
    page.get_by_role("button", name="Rédiger une fiche relais").click()
    expect(page.locator(".fr-stepper__state")).to_have_text("Étape 1 sur 7")
    expect(page.locator("#identite")).to_contain_text("ines@example.org")
    assert_accessible(page)
    shot(page, "fiche-etape-1")
    page.get_by_role("link", name="Socle commun de diagnostic").click()
    page.locator("#id_diag_mobilite_statut").select_option("frein-identifie")
    page.locator("#id_diag_centres-interet_statut").select_option("atout-identifie")
    assert_accessible(page)
    shot(page, "fiche-socle")
    page.get_by_role("button", name="Enregistrer et continuer").click()
    expect(page.locator(".fr-stepper__title")).to_contain_text("Amont, origine de l'orientation")
    page.get_by_role("link", name="Voir la fiche entière").click()

    page.locator("#id_structure_texte").press_sequentially("mission loc", delay=30)
    options = page.locator("#structures-suggestions option")
    expect(options).to_have_count(2)
    first = options.first.get_attribute("value")
    assert first.startswith("Mission locale — 13400 Aubagne")  # her commune first
    page.locator("#id_structure_texte").fill(options.nth(1).get_attribute("value"))
    expect(page.locator("#id_structure_destinataire")).to_have_value(str(lille.pk))
    page.locator("#id_structure_texte").fill(first)
    expect(page.locator("#id_structure_destinataire")).to_have_value(str(aubagne.pk))
    page.locator("#id_dispositif_propose").fill("CEJ")
    page.locator("#id_contrat_propose").select_option("cej")
    page.locator("#id_consentement").select_option(index=1)
    assert_accessible(page)
    shot(page, "fiche-envoi")
    page.get_by_role("button", name="Envoyer la fiche").click()
    expect(page.locator("#statut")).to_have_text("Envoyée")
    expect(page.locator("#socle")).to_contain_text("Atout identifié")
    assert FicheRelais.objects.get().structure_destinataire == aubagne
    shot(page, "fiche-envoyee")

    page.goto("/parcours/")
    page.locator("#id_q").fill("ines")
    page.locator("#id_statut").select_option("relais-envoye")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.locator("table caption").first).to_have_text("1 personne")
    assert_accessible(page)
    shot(page, "file-active")


def test_the_coordination_reads_formulas_and_prepares_the_commission(browser, live_server):
    coordinator = UserFactory()
    coordination = CoordinationFactory(membres=[coordinator])
    referent = MembreFactory().user
    etape = EtapeFactory(
        referent=referent, structure=referent.memberships.get().structure,
        debut=timezone.localdate() - timedelta(days=40),
    )  # fmt: skip
    commission = CommissionFactory(
        coordination=coordination, date=timezone.localdate() + timedelta(days=7)
    )
    SituationFactory(
        inscrite=True, commission=commission, personne=etape.personne, motif="duree",
        demande="Trouver une formation qualifiante.", signalee_par=referent,
    )  # fmt: skip
    page = logged_in_page(browser, live_server, coordinator)

    page.goto("/parcours/tableau-de-bord/")
    page.get_by_text("Comment est calculé ce chiffre ?").nth(1).click()
    expect(page.get_by_text("premier rendez-vous (le plus tôt")).to_be_visible()
    assert_accessible(page)
    shot(page, "tableau-de-bord")

    page.goto("/parcours/coordination/")
    page.get_by_role("link", name=str(commission)).click()
    expect(page.locator("#ordre-du-jour")).to_contain_text("Trouver une formation qualifiante.")
    page.locator("#id_courriels").fill("caf@example.org, mission@example.org")
    page.get_by_role("button", name="Inviter").click()
    expect(page.locator("#participants")).to_contain_text("mission@example.org")
    assert_accessible(page)
    shot(page, "commission")
    response = page.request.get(f"/parcours/commissions/{commission.pk}/ordre-du-jour.pdf")
    assert response.ok and response.body().startswith(b"%PDF")
