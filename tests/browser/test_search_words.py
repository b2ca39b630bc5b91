"""A conseiller's words in Chromium, on the real Elasticsearch: « creche » from Marseille lists
childcare first (the lexicon), the sort can be changed, a misspelling is answered with
« Vouliez-vous dire … ? »."""

import re

from django.core.management import call_command

import pytest
from playwright.sync_api import expect

from search import sync
from tests.browser.conftest import assert_accessible, keep_territoires
from tests.browser.test_prescription import log_in
from tests.factories import MembreFactory
from tests.search.offer import lay_out

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, available_apps=keep_territoires()),
]

MARSEILLE_1ER = "13201"
# name: (km north of Marseille 1er's town hall, thématique, description)
OFFER = {
    "Soutien à la parentalité": (
        0.5,
        "famille--soutien-a-la-parentalite-et-a-leducation",
        "Des rencontres entre parents pour échanger sur l'éducation des enfants.",
    ),
    "Aide au permis de conduire": (
        1,
        "mobilite--preparer-un-permis",
        "Une aide pour financer le permis B des parents qui reprennent un emploi.",
    ),
    "Garde d'enfants ponctuelle pour reprendre un emploi": (
        6,
        "famille--garde-denfants",
        "Des places d'accueil réservées aux parents qui reprennent un emploi.",
    ),
    "Hébergement d'urgence": (
        3,
        "logement-hebergement--rechercher-une-solution-dhebergement-temporaire",
        "Des places d'hébergement temporaire avec un travailleur social.",
    ),
}


@pytest.fixture
def catalogue(elasticsearch):
    """The offer above, indexed in full, and the lexicon (a transactional test starts from
    empty tables)."""
    call_command("load_lexique", verbosity=0)
    lay_out(MARSEILLE_1ER, OFFER)
    sync.sync_pending()
    elasticsearch.refresh()


def _titles(page):
    return page.locator(".portail-resultats .fr-card__title").all_inner_texts()


def test_creche_from_marseille_lists_childcare_first(browser, live_server, catalogue):
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    page = context.new_page()
    log_in(page, MembreFactory().user)
    expect(page).not_to_have_url(re.compile("connexion"))
    page.goto("/recherche/")
    page.wait_for_load_state("networkidle")  # htmx and the suggestions' script are ready
    page.get_by_label(re.compile("Commune ou code postal")).fill("13001")
    page.get_by_label(re.compile("Mots-clés")).fill("creche")
    page.get_by_role("button", name="Rechercher", exact=True).click()

    expect(page).to_have_url(re.compile(r"q=creche"), timeout=15_000)
    expect(page.locator("#resultats-titre")).to_contain_text("de Marseille")
    # Childcare 6 km away, found through the lexicon (« crèche » is written nowhere), before
    # the parenting support 500 m away; the permis service is not an answer.
    titles = _titles(page)
    assert titles[0] == "Garde d'enfants ponctuelle pour reprendre un emploi"
    assert "Aide au permis de conduire" not in titles
    assert_accessible(page)

    page.get_by_label(re.compile("Mots-clés")).fill("parents")
    page.get_by_role("button", name="Rechercher", exact=True).click()
    expect(page).to_have_url(re.compile(r"q=parents"))
    expect(page.locator("#resultats-titre")).to_contain_text(re.compile(r"[2-9] services"))
    # The page without words showed the sort choice: left on « Automatique », the words rank by
    # relevance (it used to submit « distance »).
    expect(page.get_by_label("Trier par")).to_have_value("")
    expect(page).not_to_have_url(re.compile(r"tri=distance"))
    page.get_by_label("Trier par").select_option("distance")
    expect(page).to_have_url(re.compile(r"tri=distance"))
    expect(page.get_by_label("Trier par")).to_have_value("distance")
    context.close()


def test_nothing_nearby_offers_a_spelling_and_farther_distances(page, catalogue):
    page.goto("/recherche/?code_commune=13201&q=hebrgemnt&distance=2")
    help = page.locator("#aide-aucun-resultat")
    expect(help).to_contain_text("Aucun service ne correspond à « hebrgemnt » à moins de 2 km")
    expect(help).to_contain_text("Vouliez-vous dire « hebergement » ?")
    assert_accessible(page)

    help.get_by_role("link", name="1 service").first.click()
    expect(page.locator(".portail-resultats .fr-card__title").first).to_have_text(
        "Hébergement d'urgence"
    )
