"""« Done when » of issue 18, in Chromium: a référent sends a fiche relais to a structure; its
admin sees it in her queue and designates a colleague, who is e-mailed and takes over; the
sender and the coordination are told; a second take-over (another tab) leaves one étape."""

import re

from django.core import mail

import pytest
from playwright.sync_api import expect

from catalogue.models import Membre
from fiche_relais.models import Etape, FicheRelais
from tests.browser.conftest import assert_accessible, keep_territoires
from tests.browser.test_prescription import logged_in_page
from tests.factories import CoordinationFactory, MembreFactory, StructureFactory, UserFactory
from tests.fiche_relais.factories import ConsentementFactory, EtapeFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, available_apps=keep_territoires()),
]


def test_a_fiche_sent_to_a_structure_is_designated_taken_over_once_and_told(
    browser, live_server, settings
):
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    etape = EtapeFactory(structure=StructureFactory(nom="PLIE Aubagne"))
    ConsentementFactory(personne=etape.personne, recueilli_par=etape.referent)
    mission_locale = StructureFactory(nom="Mission locale du Pays d'Aubagne")
    admin = MembreFactory(structure=mission_locale, role=Membre.Role.ADMIN).user
    colleague = MembreFactory(
        structure=mission_locale, user=UserFactory(first_name="Yasmine", last_name="Benali")
    ).user
    coordinator = UserFactory()
    CoordinationFactory(membres=[coordinator])

    def new_page(user):
        return logged_in_page(browser, live_server, user)

    sender = new_page(etape.referent)
    sender.goto(etape.personne.get_absolute_url())
    sender.get_by_role("button", name="Rédiger une fiche relais").click()
    sender.get_by_role("link", name="Historique de l'accompagnement et diagnostic").click()
    sender.locator("#id_historique").fill("Six mois au PLIE, projet d'aide à domicile.")
    sender.get_by_role("button", name="Enregistrer", exact=True).click()
    sender.get_by_role("link", name="Voir la fiche entière").click()
    sender.locator("#id_structure_texte").press_sequentially("mission locale du pays", delay=30)
    suggestion = sender.locator("#structures-suggestions option")
    expect(suggestion).to_have_count(1)
    sender.locator("#id_structure_texte").fill(suggestion.first.get_attribute("value"))
    expect(sender.locator("#id_structure_destinataire")).to_have_value(str(mission_locale.pk))
    sender.locator("#id_dispositif_propose").fill("CEJ")
    sender.locator("#id_contrat_propose").select_option("cej")
    sender.locator("#id_consentement").select_option(index=1)
    sender.get_by_role("button", name="Envoyer la fiche").click()
    expect(sender.locator("#statut")).to_have_text("Envoyée")
    fiche_url = sender.url
    fiche = FicheRelais.objects.get()

    queue = new_page(admin)
    queue.goto("/parcours/")
    expect(queue.locator("#fiches-a-designer")).to_contain_text("Inès Durand")
    assert_accessible(queue)
    queue.locator("#fiches-a-designer").get_by_role("link", name="Inès Durand").click()
    queue.locator("#id_referent").select_option(label="Yasmine Benali")
    queue.get_by_role("button", name="Désigner").click()
    expect(queue.get_by_text("Yasmine Benali prendra le relais.")).to_be_visible()
    expect(queue.locator("#fiches-a-designer")).to_have_count(0)

    designated = [m for m in mail.outbox if m.to == [colleague.email]]
    assert [m.subject for m in designated] == [
        f"Fiche relais n° {fiche.pk} : vous prenez le relais"
    ]
    link = re.search(r"http://\S+/parcours/fiches/\d+/", designated[0].body).group()
    assert link.endswith(fiche_url.removeprefix(live_server.url))

    taker = new_page(colleague)
    taker.goto(link)
    other_tab = taker.context.new_page()
    other_tab.goto(link)
    assert_accessible(taker)
    taker.get_by_role("button", name="Je prends le relais").click()
    expect(taker.get_by_role("heading", level=1)).to_have_text("Parcours d'Inès Durand")
    other_tab.get_by_role("button", name="Je prends le relais").click()
    expect(other_tab.get_by_text(re.compile("déjà « Relais pris »"))).to_be_visible()

    etapes = Etape.objects.filter(personne=etape.personne, fin=None)
    assert [(e.referent, e.dispositif) for e in etapes] == [(colleague, "CEJ")]
    told = sorted(
        m.to[0] for m in mail.outbox if m.subject == f"Relais pris : fiche relais n° {fiche.pk}"
    )
    assert told == sorted([etape.referent.email, coordinator.email])

    sender.goto("/comptes/notifications/")
    expect(
        sender.get_by_role("link", name=f"Relais pris : fiche relais n° {fiche.pk}")
    ).to_be_visible()
    assert_accessible(sender)
    for page in (sender, queue, taker, other_tab):
        page.wait_for_load_state("networkidle")
    for page in (sender, queue, taker):
        page.context.close()
