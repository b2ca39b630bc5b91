import re

import pytest
from playwright.sync_api import expect

from catalogue.models import Membre, Service
from pages.demo import create_editorial_pages
from tests.browser.conftest import assert_accessible, keep_territoires, log_in_to_admin
from tests.factories import MembreFactory, ServiceFactory

# The live server needs committed data: transactional tests, whose teardown empties the database
# (but the reference geography).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, available_apps=keep_territoires()),
]


@pytest.mark.parametrize("path", ["/", "/livret-d-accueil/", "/lexique/", "/api/v1/docs/"])
def test_editorial_pages_have_no_accessibility_violation(page, path):
    create_editorial_pages()
    page.goto(path)
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    assert_accessible(page)


def test_service_page_is_accessible_and_shows_its_map(page):
    service = ServiceFactory(horaires_accueil="Mo-Fr 09:00-12:00")
    page.goto(f"/services/{service.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(service.nom)
    expect(page.locator(".leaflet-marker-icon")).to_be_visible()
    assert_accessible(page)


def test_structure_admin_edits_a_service_in_wagtail(page):
    membre = MembreFactory(role=Membre.Role.ADMIN)
    service = ServiceFactory(structure=membre.structure, nom="Atelier CV")
    log_in_to_admin(page, membre.user)
    page.goto(f"/admin/snippets/catalogue/service/edit/{service.pk}/")
    page.get_by_label(re.compile("^Nom")).first.fill("Atelier CV et lettre de motivation")
    page.get_by_role("button", name=re.compile("^Enregistrer")).first.click()
    expect(page).to_have_url(re.compile(r"/admin/snippets/catalogue/service/$"))
    expect(page.get_by_role("link", name="Atelier CV et lettre de motivation")).to_be_visible()
    assert Service.objects.get(pk=service.pk).nom == "Atelier CV et lettre de motivation"
    page.goto(f"/services/{service.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Atelier CV et lettre de motivation")
