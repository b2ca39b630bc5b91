"""The search page in Chromium, on the real Elasticsearch: suggestions, filters updating the
results in place, the map, « autour de moi », keyboard use, accessibility, and no JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, keep_territoires
from tests.search.scenario import CUGES, PERMIS, VEHICULE, build_scenario

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, available_apps=keep_territoires()),
]

CUGES_TOWN_HALL = {"latitude": 43.27526, "longitude": 5.69992}


@pytest.fixture
def catalogue(elasticsearch):
    build_scenario()  # each commit reaches Elasticsearch through the outbox
    elasticsearch.refresh()


def test_search_with_suggestion_filters_and_map(page, catalogue):
    page.goto("/recherche/")
    lieu = page.get_by_label(re.compile("Commune ou code postal"))
    lieu.fill("Cuges")
    expect(
        page.locator("#communes-suggerees option[value='Cuges-les-Pins (13780)']")
    ).to_be_attached()
    lieu.fill("Cuges-les-Pins (13780)")
    expect(page.locator("#id_code_commune")).to_have_value("13030")
    lieu.press("Enter")

    expect(page.locator("#resultats-titre")).to_contain_text("8 services")
    expect(page.locator("#resultats-titre")).to_contain_text("Cuges-les-Pins (13)")
    expect(page.locator(".leaflet-marker-icon")).to_have_count(6)
    assert_accessible(page)

    page.evaluate("window.pasRecharge = true")
    mobilite = page.get_by_label(re.compile(r"^Mobilité \(6\)"))
    mobilite.focus()
    page.keyboard.press("Space")

    expect(page.locator("#resultats-titre")).to_contain_text("6 services")
    expect(page).to_have_url(re.compile(r"thematiques=mobilite"))
    assert page.evaluate("window.pasRecharge") is True  # updated in place
    expect(page.locator("#resultats-statut")).to_contain_text("6 services")
    expect(page.get_by_label(re.compile(r"^Mobilité \(6\)"))).to_be_checked()


def test_around_me_uses_the_browser_position(browser, live_server, catalogue):
    context = browser.new_context(
        base_url=live_server.url, geolocation=CUGES_TOWN_HALL, permissions=["geolocation"]
    )
    page = context.new_page()
    page.goto("/recherche/")
    page.get_by_role("button", name="Autour de moi").click()

    expect(page.locator("#resultats-titre")).to_contain_text("8 services")
    expect(page.locator("#resultats-titre")).to_contain_text("Autour de Cuges-les-Pins (13)")
    page.wait_for_load_state("networkidle")
    context.close()


def test_search_works_without_javascript(browser, live_server, catalogue):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/recherche/")
    page.get_by_label(re.compile("Commune ou code postal")).fill("cuges les pins")
    page.get_by_role("button", name="Rechercher", exact=True).click()

    expect(page.locator("#resultats-titre")).to_contain_text("8 services")
    page.locator("label[for=modes_accueil-a-distance]").click()
    page.get_by_role("button", name="Appliquer les filtres").click()
    expect(page.locator("#resultats-titre")).to_contain_text("2 services")
    context.close()


def _search_requests(page):
    """The htmx search requests the page sends, as a list that grows."""
    sent = []
    page.on(
        "request",
        lambda request: (
            sent.append(request.url)
            if "/recherche/" in request.url and request.headers.get("hx-request")
            else None
        ),
    )
    return sent


def test_one_request_per_filter_change_and_two_thematiques_of_one_category(page, catalogue):
    page.goto(f"/recherche/?code_commune={CUGES}")
    expect(page.locator("#resultats-titre")).to_contain_text("8 services")
    sent = _search_requests(page)

    page.get_by_text("Préciser : Mobilité").click()
    page.get_by_text("Préparer un permis (4)").click()
    expect(page.locator("#resultats-titre")).to_contain_text("4 services")
    page.wait_for_load_state("networkidle")
    assert len(sent) == 1

    page.get_by_text("Accéder à un véhicule (2)").click()  # still unfolded after the update
    expect(page.locator("#resultats-titre")).to_contain_text("6 services")
    page.wait_for_load_state("networkidle")
    assert len(sent) == 2, sent

    expect(page.get_by_label("Préparer un permis (4)")).to_be_checked()
    expect(page.get_by_label("Accéder à un véhicule (2)")).to_be_checked()
    expect(page).to_have_url(re.compile(f"thematiques={PERMIS}"))
    expect(page).to_have_url(re.compile(f"thematiques={VEHICULE}"))
    titles = page.locator(".portail-resultats .fr-card__title")
    expect(titles).to_have_count(6)  # the union: the 4 permis and the 2 véhicule services

    page.locator("label[for=modes_accueil-a-distance]").click()
    expect(page.locator("#resultats-titre")).to_contain_text("2 services")
    page.wait_for_load_state("networkidle")
    assert len(sent) == 3, sent
    assert_accessible(page)


def test_on_a_phone_the_first_result_is_on_the_first_screen(browser, live_server, catalogue):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 667})
    page = context.new_page()
    page.goto("/recherche/")
    page.get_by_label(re.compile("Commune ou code postal")).fill("cuges les pins")
    page.get_by_role("button", name="Rechercher", exact=True).click()

    expect(page.locator("#resultats-titre")).to_contain_text("8 services")
    first = page.locator(".portail-resultats .fr-card").first
    assert first.bounding_box()["y"] < 667, first.bounding_box()
    filters = page.locator("#affiner")
    expect(filters).not_to_have_attribute("open", "")
    page.get_by_text("Affiner", exact=True).click()  # the filters unfold on demand
    expect(page.get_by_label(re.compile(r"^Mobilité \(6\)"))).to_be_visible()
    assert_accessible(page)
    page.wait_for_load_state("networkidle")
    context.close()
