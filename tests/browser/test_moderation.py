"""End to end in Chromium (issue 20): a professional adds her structure, which waits for the
coordination's validation and is then published with her as its admin; a visitor reports an
error on a service page, the structure closes the task as corrected and the visitor gets the
e-mail. axe on the new pages."""

import re

from django.core import mail

import pytest
from playwright.sync_api import expect

from actualisation.models import TacheQualite
from catalogue.models import Membre, Structure
from tests.browser.conftest import assert_accessible, keep_territoires, log_in_to_admin
from tests.browser.test_prescription import logged_in_page
from tests.factories import CoordinationFactory, MembreFactory, ServiceFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, available_apps=keep_territoires()),
]


def test_a_new_structure_waits_for_validation_then_is_validated(browser, live_server, settings):
    settings.SEARCH_BACKEND = "database"
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    professional = UserFactory(email="nadia@epicerie.example.org")
    coordinator = UserFactory(email="coordination@bdr.example.org")
    CoordinationFactory(membres=[coordinator])
    page = logged_in_page(browser, live_server, professional)

    page.goto("/comptes/")
    page.get_by_role("link", name="Ajoutez-la").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ajouter ma structure")
    assert_accessible(page)
    page.locator("#id_nom").fill("Épicerie solidaire du Panier")
    page.locator("#id_siret").fill("44306184100047")
    page.locator("#id_description").fill("Une épicerie solidaire du quartier.")
    page.locator("#id_code_postal").fill("13002")
    page.locator("#id_commune_texte").fill("Marseille")
    page.get_by_role("button", name="Envoyer pour validation").click()

    expect(page.get_by_text(re.compile("dès que la coordination SPIE"))).to_be_visible()
    expect(page.get_by_text(re.compile("en attente de validation"))).to_be_visible()
    structure = Structure.objects.get(nom="Épicerie solidaire du Panier")
    assert not structure.est_publiee
    assert [m.to for m in mail.outbox] == [[coordinator.email]]
    link = re.search(r"http://\S+/moderation/", mail.outbox[0].body).group(0)

    moderator = logged_in_page(browser, live_server, coordinator)
    moderator.goto(link)
    expect(moderator.get_by_role("heading", level=1)).to_have_text("Modération")
    assert_accessible(moderator)
    moderator.get_by_role("button", name="Valider Épicerie solidaire du Panier").click()
    expect(moderator.get_by_text(re.compile("la structure est publiée"))).to_be_visible()

    structure.refresh_from_db()
    assert structure.est_publiee
    assert Membre.objects.get(user=professional, structure=structure).role == "admin"
    assert mail.outbox[-1].to == [professional.email]
    page.goto(structure.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_contain_text("Épicerie solidaire du Panier")


def test_an_error_report_becomes_a_task_and_is_closed(browser, live_server, page, settings):
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    admin = MembreFactory(role=Membre.Role.ADMIN, user__email="admin@tremplin.example.org")
    service = ServiceFactory(structure=admin.structure, nom="Garage solidaire")

    page.goto(service.get_absolute_url())
    page.get_by_role("link", name="Signaler une erreur sur cette fiche").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Signaler une erreur")
    assert_accessible(page)
    page.locator("#id_details").fill("Le garage a déménagé au 8 boulevard National.")
    page.locator("#id_courriel").fill("lea@example.org")
    page.get_by_role("button", name="Envoyer le signalement").click()

    expect(page.get_by_text(re.compile("Merci, votre signalement"))).to_be_visible()
    assert "lea@example.org" not in page.url
    task = TacheQualite.objects.get()
    assert task.service == service and task.fermee_le is None
    assert [m.to for m in mail.outbox] == [[admin.user.email]]

    structure_page = browser.new_context(base_url=live_server.url, locale="fr-FR").new_page()
    log_in_to_admin(structure_page, admin.user)
    expect(structure_page.get_by_text(re.compile("déménagé au 8 boulevard"))).to_be_visible()
    structure_page.get_by_role("button", name="Corrigé : Garage solidaire").click()
    expect(
        structure_page.get_by_text(re.compile("Signalement sur « Garage solidaire » clos"))
    ).to_be_visible()

    task.refresh_from_db()
    assert task.corrigee is True and task.courriel_signalement == ""
    assert mail.outbox[-1].to == ["lea@example.org"]
    assert "est corrigée" in mail.outbox[-1].subject
