"""End to end in Chromium: a network pushes its service model to its three antennes, changes
it, and one antenne's admin accepts the change from the e-mail; the coordination sees who runs
the model in its territory. axe on the pages."""

import re

from django.core import mail

import pytest
from playwright.sync_api import expect

from catalogue.models import Service
from tests.browser.conftest import assert_accessible, keep_territoires, log_in_to_admin
from tests.browser.test_prescription import logged_in_page
from tests.catalogue.factories import reseau
from tests.factories import CoordinationFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, available_apps=keep_territoires()),
]

NEW_NAME = "Contrat d'engagement jeune"


def _push(page, modele, antenne):
    page.goto("/admin/modeles/")
    page.get_by_role("link", name=f"Créer un service à partir de « {modele.nom} »").click()
    page.get_by_label("Structure").select_option(label=antenne.nom)
    page.get_by_label("Statut").select_option(label="Publié dès maintenant")
    page.get_by_role("button", name="Créer le service").click()
    expect(page.get_by_text(f"« {modele.nom} » créé pour {antenne.nom}.")).to_be_visible()


def _new_page(browser, live_server):
    return browser.new_context(base_url=live_server.url, locale="fr-FR").new_page()


def test_a_network_pushes_a_model_to_three_structures_and_one_accepts_a_change(
    browser, live_server, settings
):
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    world = reseau(copies=False)
    network = _new_page(browser, live_server)
    log_in_to_admin(network, world.admin)
    for antenne in world.antennes:
        _push(network, world.modele, antenne)
    copies = Service.objects.filter(modele=world.modele, statut="publie")
    assert sorted(c.structure.nom for c in copies) == sorted(a.nom for a in world.antennes)

    network.goto(f"/admin/snippets/catalogue/modeleservice/edit/{world.modele.pk}/")
    network.get_by_label(re.compile("^Nom")).first.fill(NEW_NAME)
    network.get_by_role("button", name=re.compile("^Enregistrer")).first.click()
    expect(network).to_have_url(re.compile(r"/admin/snippets/catalogue/modeleservice/$"))
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in world.admins)

    marseille = world.admins[0]
    message = next(m for m in mail.outbox if m.to == [marseille.email])
    link = re.search(r"(http://\S+/admin/modeles/propositions/\d+/)", message.body).group(1)
    antenne = _new_page(browser, live_server)
    log_in_to_admin(antenne, marseille)
    antenne.goto(link)
    expect(antenne.get_by_role("row", name=re.compile("Nom"))).to_contain_text(NEW_NAME)
    assert_accessible(antenne)
    antenne.get_by_role("radio", name="Accepter").check()
    antenne.get_by_role("button", name="Enregistrer mes décisions").click()
    expect(antenne.get_by_text("1 décision enregistrée.")).to_be_visible()
    expect(antenne.get_by_text("Aucune modification en attente pour ce service.")).to_be_visible()

    accepted = copies.get(structure=world.antennes[0])
    antenne.goto(accepted.get_absolute_url())
    expect(antenne.get_by_role("heading", level=1)).to_have_text(NEW_NAME)
    others = copies.exclude(pk=accepted.pk)
    assert [c.nom for c in others] == [world.modele.nom] * 2  # the others have not decided

    coordinator = UserFactory()
    CoordinationFactory(membres=[coordinator])  # the Bouches-du-Rhône: Marseille, Aubagne
    coordination = logged_in_page(browser, live_server, coordinator)
    coordination.goto("/modeles-de-service/")
    table = coordination.get_by_role("table")
    expect(table).to_contain_text("Mission locale de Marseille")
    expect(table).to_contain_text("Mission locale d'Aubagne")
    expect(table).not_to_contain_text("Albi")
    assert_accessible(coordination)
