"""End to end in Chromium (issue 20, « Done when »: a saved search alerts on a new service): a
professional saves a search with a filter from the search page, a new matching service is
published, the alerts job runs, the e-mail lists it, and its link turns the alerts off without
logging in. axe on each page."""

import datetime
import re

from django.core import mail
from django.utils import timezone

import pytest
from playwright.sync_api import expect

from catalogue.models import Service
from saved_searches import services
from saved_searches.enums import AlertFrequency
from saved_searches.models import SavedSearch
from tests.browser.conftest import assert_accessible, keep_territoires
from tests.browser.test_prescription import logged_in_page
from tests.factories import ServiceFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, available_apps=keep_territoires()),
]


def test_a_saved_search_alerts_on_a_new_service_until_unsubscribed(browser, live_server, settings):
    settings.SEARCH_BACKEND = "database"
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    professional = UserFactory(email="conseiller@cd13.fr")
    ServiceFactory(nom="Permis solidaire du Panier")
    page = logged_in_page(browser, live_server, professional)

    page.goto("/recherche/")
    page.get_by_label(re.compile("Commune ou code postal")).fill("13001")
    page.get_by_label(re.compile("Mots-clés")).fill("permis")
    page.get_by_role("button", name="Rechercher").click()
    # The page first lists the whole offer (« 1 service » too): wait for this search's answer.
    expect(page).to_have_url(re.compile(r"q=permis"))
    expect(page.locator("#resultats-titre")).to_contain_text(
        "1 service à moins de 20 km de Marseille"
    )
    page.get_by_label(re.compile(r"^Mobilité \(1\)")).focus()
    page.keyboard.press("Space")  # the DSFR's label covers the box
    expect(page).to_have_url(re.compile(r"thematiques=mobilite"))
    page.get_by_role("link", name="Enregistrer cette recherche").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Enregistrer cette recherche")
    expect(page.locator("#recherche-resume")).to_contain_text("Mots-clés : permis")
    expect(page.locator("#recherche-resume")).to_contain_text("Thématiques : Mobilité")
    assert_accessible(page)
    page.get_by_label(re.compile("Nom de la recherche")).fill("Permis autour du Vieux-Port")
    page.get_by_label(re.compile("Recevoir par e-mail")).select_option(label="Tous les 15 jours")
    page.get_by_role("button", name="Enregistrer la recherche").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Mes recherches")
    expect(
        page.get_by_text("Recherche « Permis autour du Vieux-Port » enregistrée.")
    ).to_be_visible()
    assert_accessible(page)
    saved = SavedSearch.objects.get(owner=professional)
    assert saved.parameters["thematiques"] == ["mobilite"] and saved.parameters["q"] == ["permis"]

    draft = ServiceFactory(nom="Garage solidaire de la Joliette", statut=Service.Statut.BROUILLON)
    draft.statut = Service.Statut.PUBLIE
    draft.save()  # published
    assert services.send_alerts(now=timezone.now() + datetime.timedelta(days=16)) == 1

    [alert] = mail.outbox
    assert alert.to == ["conseiller@cd13.fr"]
    assert "Garage solidaire de la Joliette (nouveau)" in alert.body
    assert "Permis solidaire du Panier" not in alert.body
    link = re.search(r"(http://\S+/alertes/desabonnement/\S+/)", alert.body).group(1)

    anonymous = browser.new_context(locale="fr-FR").new_page()
    anonymous.goto(link)
    expect(anonymous.get_by_role("heading", level=1)).to_contain_text("Permis autour du Vieux-Port")
    assert_accessible(anonymous)
    anonymous.get_by_role("button", name="Ne plus recevoir ces alertes").click()
    expect(anonymous.get_by_role("status")).to_contain_text("Vous ne recevrez plus les alertes")
    assert_accessible(anonymous)
    saved.refresh_from_db()
    assert saved.frequency == AlertFrequency.NONE

    page.reload()
    expect(page.get_by_label(re.compile("Alerte par e-mail"))).to_have_value("aucune")
    page.get_by_role("link", name=re.compile("Relancer")).click()
    expect(
        page.get_by_role("link", name="Garage solidaire de la Joliette", exact=True)
    ).to_be_visible()
