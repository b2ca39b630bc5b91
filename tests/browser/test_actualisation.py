"""End to end in Chromium: a structure admin confirms a service from the digest's link without
logging in; the coordination reads its actualisation page. axe on both."""

import datetime
import re

from django.core import mail

import pytest
from playwright.sync_api import expect

from actualisation import services
from catalogue import fraicheur
from catalogue.models import Membre, Service
from tests.browser.conftest import assert_accessible, keep_territoires
from tests.browser.test_prescription import log_in
from tests.factories import CoordinationFactory, MembreFactory, ServiceFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, available_apps=keep_territoires()),
]


def test_one_click_confirmation_from_the_digest(browser, live_server, settings):
    settings.SEARCH_BACKEND = "database"
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    admin = MembreFactory(role=Membre.Role.ADMIN)
    service = ServiceFactory(structure=admin.structure, nom="Garage solidaire", code_insee="13005")
    eight_months_ago = fraicheur.add_months(datetime.date.today(), -8)
    Service.objects.filter(pk=service.pk).update(date_maj=eight_months_ago)
    services.send_digests()  # transaction=True: the e-mail leaves at once

    link = re.search(r"(http://\S+/actualisation/confirmer/\S+/)", mail.outbox[0].body).group(1)
    page = browser.new_context(locale="fr-FR").new_page()
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_contain_text("toujours à jour")
    assert_accessible(page)
    page.get_by_role("button", name="Oui, ce service est toujours à jour").click()

    expect(page.get_by_role("status")).to_contain_text("mis à jour aujourd'hui")
    assert_accessible(page)
    service.refresh_from_db()
    assert service.date_maj == datetime.date.today()
    page.goto(f"{live_server.url}{service.get_absolute_url()}")
    expect(page.get_by_text(re.compile("Mis à jour aujourd'hui"))).to_be_visible()


def test_the_coordination_page_is_accessible(browser, live_server, settings):
    coordinator = UserFactory()
    CoordinationFactory(membres=[coordinator])
    ServiceFactory(nom="Garage solidaire", code_insee="13005")
    page = browser.new_context(base_url=live_server.url, locale="fr-FR").new_page()
    log_in(page, coordinator)

    page.get_by_role("link", name="Coordination SPIE").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Actualisation de l'offre du territoire"
    )
    assert_accessible(page)
