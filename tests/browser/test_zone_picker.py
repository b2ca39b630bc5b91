"""The admin's zone d'éligibilité picker in Chromium: a zone added by name, one removed."""

import re

import pytest
from playwright.sync_api import expect

from catalogue.models import Membre, Service
from tests.browser.conftest import keep_territoires, log_in_to_admin
from tests.factories import MembreFactory, ServiceFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, available_apps=keep_territoires()),
]


def test_a_zone_is_picked_by_name_and_another_removed(page):
    membre = MembreFactory(role=Membre.Role.ADMIN)
    service = ServiceFactory(structure=membre.structure, zone_eligibilite=["13055"])
    log_in_to_admin(page, membre.user)
    page.goto(f"/admin/snippets/catalogue/service/edit/{service.pk}/")
    page.get_by_role("tab", name="Publics et zone").click()

    search = page.get_by_label("Ajouter une commune, un EPCI, un département ou « France »")
    search.fill("bouches")
    suggestion = page.locator("#id_zone_eligibilite-suggestions option").first
    expect(suggestion).to_have_attribute("value", "Bouches-du-Rhône (département 13)")
    search.fill("Bouches-du-Rhône (département 13)")
    chosen = page.locator("[data-zone-chosen]")
    expect(chosen).to_contain_text("Bouches-du-Rhône (département 13)")
    chosen.locator("li", has_text="Marseille (commune 13055)").get_by_role("button").click()
    expect(page.locator("#id_zone_eligibilite")).to_have_value("13")
    page.get_by_role("button", name=re.compile("^Enregistrer")).first.click()

    expect(page).to_have_url(re.compile(r"/admin/snippets/catalogue/service/$"))
    assert Service.objects.get(pk=service.pk).zone_eligibilite == ["13"]
