"""The search page without JavaScript: the same query, a list, facets with counts, errors."""

import pytest

from tests.factories import ServiceFactory
from tests.search.scenario import CUGES, HEBERGEMENT, PERMIS, VEHICULE, build_scenario

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("database_backend")]


@pytest.fixture
def catalogue(database_backend):
    build_scenario()


def test_a_commune_typed_without_javascript_is_found(client, catalogue):
    response = client.get("/recherche/", {"lieu": "cuges les pins"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "8 services" in html
    assert "à moins de 20 km de Cuges-les-Pins (13)" in html
    assert html.index("Ateliers numériques") < html.index("Hébergement d&#x27;urgence")
    assert "À 10,6 km" in html


@pytest.mark.parametrize("lieu", ["13780", "Cuges-les-Pins (13780)"])
def test_postal_code_and_suggestion_label_are_understood(client, catalogue, lieu):
    response = client.get("/recherche/", {"lieu": lieu})

    assert "à moins de 20 km de Cuges-les-Pins (13)" in response.content.decode()


def test_a_place_starting_with_a_vowel_is_elided(client, catalogue):
    response = client.get("/recherche/", {"lieu": "Aubagne"})

    assert "à moins de 20 km d&#x27;Aubagne (13)" in response.content.decode()


def test_hidden_code_commune_from_the_suggestions_wins_over_the_text(client, catalogue):
    response = client.get("/recherche/", {"lieu": "Cuges", "code_commune": "83016"})

    assert "Le Beausset (83)" in response.content.decode()


def test_facets_show_counts_and_keep_the_choice(client, catalogue):
    response = client.get("/recherche/", {"code_commune": CUGES, "thematiques": "mobilite"})

    html = response.content.decode()
    assert "6 services" in html
    assert 'id="thematiques-mobilite" name="thematiques" value="mobilite" checked' in html
    assert "Mobilité (6)" in html
    assert "Modes d&#x27;accueil" in html and "À distance (2)" in html


def test_precise_thematiques_are_ticked_under_their_category(client, catalogue):
    response = client.get("/recherche/", {"code_commune": CUGES, "thematiques": [PERMIS, VEHICULE]})

    html = response.content.decode()
    assert "6 services" in html
    for slug in (PERMIS, VEHICULE):
        assert f'name="thematiques" value="{slug}" checked' in html
    assert 'id="preciser-thematiques-mobilite" open' in html
    assert "Préparer un permis (4)" in html and "Accéder à un véhicule (2)" in html
    # the other categories keep their counts, their thématiques folded under them
    assert "Logement et hébergement (1)" in html and "Numérique (1)" in html
    assert 'id="preciser-thematiques-logement-hebergement">' in html
    assert html.index("Logement et hébergement (1)") < html.index(f'value="{HEBERGEMENT}"')
    assert html.index(f'value="{HEBERGEMENT}"') < html.index("Mobilité (6)")


def test_unknown_commune_is_explained_in_french(client, catalogue):
    response = client.get("/recherche/", {"lieu": "Zzzzville"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Aucune commune ne correspond à « Zzzzville »" in html
    assert "corrigez les champs signalés" in html


def test_pages_link_to_each_other_keeping_the_filters(client, database_backend):
    ServiceFactory.create_batch(25)

    html = client.get("/recherche/", {"code_commune": "13055", "q": "permis"}).content.decode()

    assert "25 services" in html
    assert "Page 1 sur 2" in html
    assert 'href="?code_commune=13055&amp;q=permis&amp;page=2"' in html


def test_home_search_box_leads_to_results(client, catalogue):
    response = client.get("/recherche/", {"q": "hébergement"})

    assert "1 service" in response.content.decode()


def test_words_with_nothing_to_search_say_so(client, database_backend):
    ServiceFactory()
    page = client.get("/recherche/", {"code_commune": "13055", "q": "!!! 🙂 les"}).content.decode()
    assert "ne contient aucun mot à chercher" in page
    assert (
        "ne contient aucun mot à chercher"
        not in client.get("/recherche/", {"code_commune": "13055", "q": "permis"}).content.decode()
    )
