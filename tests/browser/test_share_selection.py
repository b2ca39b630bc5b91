"""In Chromium: a person receives a shared service (« Partager » on a result card), and a
selection of three services ticked in the results is printed and read back as text; printing
the search page alone prints the results, not the form, filters and map."""

import re

from django.core import mail

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, keep_territoires
from tests.factories import ServiceFactory, StructureFactory
from tests.utils.pdf import pdf_text

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, available_apps=keep_territoires()),
]

PERSON = "lea.martin@example.net"
# The GET form's request as its button sends it, made by the page itself (its cookies, its
# connection): Chromium's PDF viewer would hold the live server's one connection.
SUBMIT_AND_READ = """async (selector) => {
  const form = document.querySelector(selector);
  const url = form.action + "?" + new URLSearchParams(new FormData(form));
  const response = await fetch(url);
  const bytes = Array.from(new Uint8Array(await response.arrayBuffer()));
  return {url: url, type: response.headers.get("content-type"), bytes: bytes};
}"""


@pytest.fixture
def offer(settings, live_server):
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    structure = StructureFactory(
        nom="Maison de l'emploi du Vieux-Port",
        telephone="0491223344",
        adresse="5 boulevard National",
    )
    names = ["Aide au permis solidaire", "Garage solidaire", "Vélos en location"]
    return [
        ServiceFactory(
            nom=name,
            structure=structure,
            adresse=f"{number} rue de la République",
            latitude=43.2970 + number / 1000,
            horaires_accueil="Mo-Fr 09:00-12:00",
            telephone="0491000000",
            contact_public=False,
        )
        for number, name in enumerate(names, start=1)
    ]


def test_a_person_receives_a_shared_service(page, offer, live_server):
    page.goto("/recherche/?lieu=Marseille")
    page.get_by_role("link", name="Partager : Aide au permis solidaire").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Aide au permis solidaire")
    assert_accessible(page)
    page.get_by_label(re.compile("Adresse e-mail du destinataire")).fill(PERSON)
    page.get_by_role("button", name="Envoyer").click()

    expect(page.get_by_text("Message envoyé. Son adresse n'a pas été conservée.")).to_be_visible()
    # Back to the results it was shared from.
    expect(page).to_have_url(re.compile(r"/recherche/\?lieu=Marseille$"))
    expect(page.get_by_role("link", name="Partager : Aide au permis solidaire")).to_be_visible()
    # The public page gives the structure's contact, the service's being private.
    page.goto(f"/services/{offer[0].pk}/")
    expect(page.get_by_role("link", name="0491223344")).to_be_visible()
    expect(page.get_by_text("0491000000")).to_have_count(0)
    [message] = mail.outbox
    assert message.to == [PERSON]
    assert PERSON not in message.subject
    assert "Adresse : 1 rue de la République, 13001 Marseille" in message.body
    assert "Horaires : du lundi au vendredi de 9 h 00 à 12 h 00" in message.body
    assert "Contact de la structure : Téléphone : 0491223344" in message.body
    assert f"Le service en ligne : {live_server.url}/services/{offer[0].pk}/" in message.body
    assert "0491000000" not in message.body


def test_a_selection_of_three_ticked_services_is_printed(page, offer, live_server):
    page.goto("/recherche/?lieu=Marseille")
    for service in offer:
        page.locator(f"label[for=choisir-{service.pk}]").click()  # the DSFR's box is its label
        expect(page.get_by_label(f"Sélectionner : {service.nom}")).to_be_checked()
    page.get_by_role("button", name="Ajouter les services cochés à ma sélection").click()

    expect(
        page.get_by_text("3 services ajoutés à votre sélection, qui en compte 3.")
    ).to_be_visible()
    expect(page.get_by_label("Dans ma sélection : Garage solidaire")).to_be_disabled()
    page.get_by_role("link", name=re.compile(r"Ma sélection \(3\)")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ma sélection")
    assert_accessible(page)

    page.get_by_label("Liste compacte").check()
    expect(page.get_by_role("button", name="Imprimer / PDF")).to_be_visible()
    printed = page.evaluate(SUBMIT_AND_READ, "#impression")
    assert printed["url"].endswith("/selection/imprimer/?mise_en_page=liste")
    assert printed["type"] == "application/pdf"
    text = pdf_text(bytes(printed["bytes"]))
    for number, service in enumerate(offer, start=1):
        assert f"{number}. {service.nom}" in text
        assert f"Adresse : {number} rue de la République, 13001 Marseille" in text
        assert f"Page du service : {live_server.url}/services/{service.pk}/" in text
    assert text.count("Horaires : du lundi au vendredi de 9 h 00 à 12 h 00") == 3
    assert "Contact de la structure : Téléphone : 0491223344" in text
    assert "0491000000" not in text


def test_printing_the_search_page_prints_the_results_alone(page, offer):
    page.goto("/recherche/?lieu=Marseille")
    expect(page.get_by_text("Les services sur place de cette page.")).to_be_visible()
    page.emulate_media(media="print")

    expect(page.locator("#id_lieu")).to_be_hidden()
    expect(page.locator("#affiner")).to_be_hidden()
    expect(page.locator("[data-portail-results-map]")).to_be_hidden()
    expect(page.get_by_text("Les services sur place de cette page.")).to_be_hidden()
    expect(page.get_by_role("button", name="Rechercher")).to_be_hidden()
    expect(page.get_by_role("link", name="Aide au permis solidaire")).to_be_visible()
    page.emulate_media(media="screen")
    expect(page.locator("#id_lieu")).to_be_visible()
