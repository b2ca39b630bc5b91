"""The fiche relais journey in Chromium, axe on every page: référent A follows a person,
records her consent, drafts and sends the fiche; the coordination reads it; référent B takes
over; A still reads the fiche for a month, not after; the coordination flags a situation
bloquée, a commission records a decision, B sees it."""

import re
from datetime import date, timedelta

from django.utils import timezone

import pytest
import time_machine
from playwright.sync_api import expect

from fiche_relais.models import Personne
from tests.browser.conftest import assert_accessible, keep_territoires
from tests.browser.test_prescription import log_in, logged_in_page
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
        return logged_in_page(browser, live_server, user)

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
    expect(a.get_by_role("heading", level=1)).to_have_text("Parcours d'Inès Durand")
    a.locator("#id_mode").select_option("accord")
    a.get_by_role("button", name="Enregistrer le consentement").click()
    expect(a.get_by_text("Consentement enregistré.")).to_be_visible()
    assert_accessible(a)
    a.get_by_role("button", name="Rédiger une fiche relais").click()
    a.get_by_role("button", name="Enregistrer et continuer").click()
    a.locator("#id_historique").fill("Six mois au PLIE, projet d'aide à domicile.")
    a.get_by_role("button", name="Enregistrer et continuer").click()
    a.locator("#id_diag_mobilite_statut").select_option("frein-identifie")
    assert_accessible(a)
    a.get_by_role("button", name="Enregistrer et continuer").click()
    a.get_by_role("link", name="Voir la fiche entière").click()
    a.locator("#id_structure_texte").fill(referent_b.memberships.get().structure.nom)
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
    assert_accessible(coordination)

    b = new_page(referent_b)
    b.goto("/parcours/")
    assert_accessible(b)
    b.get_by_role("link", name="Inès Durand").click()
    assert_accessible(b)
    b.get_by_role("button", name="Je prends le relais").click()
    expect(b.get_by_role("heading", level=1)).to_have_text("Parcours d'Inès Durand")
    expect(b.get_by_text(re.compile("CEJ .*en cours"))).to_be_visible()
    assert_accessible(b)
    assert Personne.objects.get().etape_en_cours.referent == referent_b
    parcours_url = b.url

    # (Sessions last two weeks: log in again a month later.)
    with time_machine.travel(timedelta(days=30)):
        log_in(a, referent_a)
        a.goto(fiche_url)
        expect(a.get_by_role("heading", level=1)).to_have_text("Fiche relais d'Inès Durand")
    with time_machine.travel(timedelta(days=32)):
        log_in(a, referent_a)
        assert a.goto(fiche_url).status == 404

    coordination.goto(parcours_url)
    coordination.get_by_text("Signaler une situation bloquée").click()
    coordination.locator("#id_motif").select_option("absence-offre")
    coordination.locator("#id_situation").fill("Deux enfants, pas de mode de garde.")
    coordination.locator("#id_actions_menees").fill("Trois demandes de crèche refusées.")
    coordination.locator("#id_blocage").fill("Aucune place à moins de 20 km.")
    coordination.locator("#id_demande").fill("Trouver une garde pour reprendre l'emploi.")
    coordination.get_by_role("button", name="Signaler à la coordination").click()
    situation_url = coordination.url
    assert_accessible(coordination)
    coordination.goto("/parcours/coordination/")
    coordination.get_by_text("Programmer une commission").click()
    coordination.locator("#id_date").fill(timezone.localdate().isoformat())  # decide from today
    coordination.locator("#id_lieu").fill("Aubagne")
    coordination.get_by_role("button", name="Créer la commission").click()
    assert_accessible(coordination)
    coordination.goto(situation_url)
    coordination.locator("#id_commission").select_option(index=1)
    coordination.get_by_role("button", name="Inscrire à l'ordre du jour").click()
    coordination.locator("#id_solutions").fill("Place en micro-crèche associative.")
    coordination.locator("#id_qui_fait_quoi").fill("La CAF finance, le référent inscrit.")
    coordination.locator("#id_echeance").fill((date.today() + timedelta(days=40)).isoformat())
    coordination.get_by_role("button", name="Enregistrer la décision").click()
    expect(coordination.locator("#decision")).to_contain_text("micro-crèche")
    assert_accessible(coordination)

    b.goto(parcours_url)
    expect(
        b.get_by_text(re.compile("décision : Place en micro-crèche associative"))
    ).to_be_visible()
    for page in (a, coordination, b):
        page.wait_for_load_state("networkidle")
        page.context.close()
