"""Matching and ranking (search.ranking) on both backends: the same services in the same order,
with the corpus statistics of a full index."""

from django.core.management import call_command

import pytest

from search import sync, vocabulary
from search.models import BesoinNonCouvert, CorpusStatistics, IndexEntry
from tests.factories import ServiceFactory, UserFactory
from tests.search.offer import lay_out

pytestmark = pytest.mark.django_db

AUBAGNE = "13005"
CV = "preparer-sa-candidature--realiser-un-cv-et-ou-une-lettre-de-motivation"
PERMIS = "mobilite--preparer-un-permis"
CONSEIL_MOBILITE = "mobilite--etre-accompagne-dans-son-parcours-mobilite"
NUMERIQUE = "numerique--acceder-a-des-services-en-ligne"
HEBERGEMENT = "logement-hebergement--rechercher-une-solution-dhebergement-temporaire"
GARDE = "famille--garde-denfants"

# name: (km north of Aubagne's town hall, thématique, description)
OFFER = {
    "Atelier CV et lettre de motivation": (8, CV, "En petit groupe, on rédige son CV."),
    "Aide au permis A": (1, PERMIS, "Une aide pour financer le permis B."),
    "Aide au permis B": (2, PERMIS, "Une aide pour financer le permis B."),
    "Aide au permis C": (3, PERMIS, "Une aide pour financer le permis B."),
    "Conseil en mobilité": (12, CONSEIL_MOBILITE, "Un conseiller fait le point sur vos trajets."),
    "Ateliers numériques": (0.5, NUMERIQUE, "Salle accessible aux personnes à mobilité réduite."),
    "Hébergement d'urgence": (5, HEBERGEMENT, "Des places temporaires, une aide au projet."),
    "Accueil des tout-petits": (15, GARDE, "Des places pour les parents qui reprennent un emploi."),
}


@pytest.fixture
def offer(client):
    """The offer above, indexed in full, and a logged-in professional."""
    lay_out(AUBAGNE, OFFER)
    client.force_login(UserFactory())


def _names(search_api, **params):
    body = search_api(code_commune=AUBAGNE, **params).json()
    return [item["service"]["nom"] for item in body["items"]]


def test_a_rare_word_decides_a_common_one_only_adds(search_api, offer):
    # « aide » is in four services out of eight, « CV » in one: « CV » alone reaches half of
    # the query's weight, « aide » alone does not.
    assert _names(search_api, q="aide au CV") == ["Atelier CV et lettre de motivation"]


def test_stronger_fields_rank_first_then_proximity(search_api, offer):
    # The category label « Mobilité » is in the title of the permis services (nearest first),
    # then the mobility advice 12 km away; « mobilité réduite » in a description, however
    # close, is less than half as relevant as the best: left out.
    assert _names(search_api, q="mobilite") == [
        "Aide au permis A",
        "Aide au permis B",
        "Aide au permis C",
        "Conseil en mobilité",
    ]


def test_sort_by_distance_on_request(search_api, offer):
    """What the sort changes is shown in test_fraicheur; here the parameter and its defaults."""
    body = search_api(code_commune=AUBAGNE, q="mobilite", tri="distance").json()
    distances = [item["distance"] for item in body["items"]]
    assert body["tri"] == "distance" and distances == sorted(distances) and len(distances) == 4
    assert search_api(code_commune=AUBAGNE, q="mobilite").json()["tri"] == "pertinence"
    assert search_api(code_commune=AUBAGNE).json()["tri"] == "distance"
    assert search_api(code_commune=AUBAGNE, tri="pertinence").json()["tri"] == "pertinence"
    refused = search_api(code_commune=AUBAGNE, tri="alphabetique")
    assert refused.status_code == 400 and "tri" in refused.json()["errors"]


def test_one_typo_is_tolerated_in_words_of_five_letters(search_api, offer):
    assert _names(search_api, q="hebergment") == ["Hébergement d'urgence"]
    assert _names(search_api, q="hébergemnet urgence") == ["Hébergement d'urgence"]


def test_two_typos_are_tolerated_in_words_of_eight_letters(search_api, offer):
    assert _names(search_api, q="hebrgemnt") == ["Hébergement d'urgence"]


def test_words_found_nowhere_nearby_say_why_and_suggest_a_spelling(search_api, offer):
    body = search_api(code_commune=AUBAGNE, q="hebrgemnt", distance="2").json()
    assert body["total"] == 0
    assert body["suggestions"]["reason"] == "mots"  # services within 2 km, none of these words
    assert body["suggestions"]["spelling"] == "hebergement"
    assert body["suggestions"]["wider"] == [
        {"distance": 30, "total": 1},
        {"distance": 50, "total": 1},
    ]
    # An unmet need under the category the words point to (the lexicon's « hébergement »)…
    assert BesoinNonCouvert.objects.get().categories == ["logement-hebergement"]
    # … but words pointing nowhere are a miss of the words, not a need of the territory.
    assert search_api(code_commune=AUBAGNE, q="boulangerie").json()["total"] == 0
    assert BesoinNonCouvert.objects.count() == 1


def test_words_typed_without_spaces_or_truncated_are_understood(search_api, offer):
    assert _names(search_api, q="hebergementdurgence") == ["Hébergement d'urgence"]
    assert _names(search_api, q="heberg") == ["Hébergement d'urgence"]


def test_nothing_of_that_kind_nearby_offers_farther_distances(search_api, offer):
    body = search_api(code_commune=AUBAGNE, thematiques=GARDE, distance="10").json()
    assert body["items"] == []
    assert body["suggestions"]["reason"] == "distance"
    assert body["suggestions"]["wider"] == [
        {"distance": 30, "total": 1},
        {"distance": 50, "total": 1},
    ]
    assert BesoinNonCouvert.objects.get().categories == ["famille"]


def test_a_found_search_has_no_suggestions(search_api, offer):
    assert search_api(code_commune=AUBAGNE, q="permis").json()["suggestions"] is None


@pytest.mark.parametrize(
    "q",
    ["", "les de la", "!!! ??? ...", "🙂🚲", "a" * 200, "permis " * 28],
    ids=["empty", "stop words", "punctuation", "emoji", "200 letters", "many words"],
)
def test_odd_words_give_sensible_results(search_api, offer, q):
    response = search_api(code_commune=AUBAGNE, q=q)
    assert response.status_code == 200
    names = [item["service"]["nom"] for item in response.json()["items"]]
    if q.startswith("permis"):
        assert names == ["Aide au permis A", "Aide au permis B", "Aide au permis C"]
    elif q.startswith("a" * 10):
        assert names == []
    else:  # no words to look for: everything, by distance
        assert names[0] == "Ateliers numériques" and len(names) == len(OFFER)


def test_a_query_too_long_is_refused_in_french(search_api, offer):
    response = search_api(code_commune=AUBAGNE, q="permis " * 2000)
    assert response.status_code == 400
    assert "200 caractères" in response.json()["errors"]["q"][0]


def test_reindex_if_empty_computes_the_missing_statistics():
    """`make run` loads the demo (its services reach the index one by one) then runs
    `search_reindex --if-empty`: the corpus statistics must be computed then, or every word
    would weigh the same."""
    ServiceFactory.create_batch(3)
    assert IndexEntry.objects.count() == 3 and not CorpusStatistics.objects.exists()
    call_command("search_reindex", if_empty=True, verbosity=0)
    assert CorpusStatistics.objects.get().documents == 3
    assert vocabulary.current().weight("perm") == 1  # « permis », in every service: the lowest
    assert vocabulary.current().weight("zzz") == 3  # in none: 1 + log2(4)


@pytest.fixture
def requests_sent(elasticsearch, monkeypatch):
    """The multi-searches sent to Elasticsearch, as lists of their bodies' count."""
    sent = []
    client = elasticsearch.client()
    msearch = client.msearch

    def counting(**options):
        sent.append(len(options["searches"]) // 2)
        return msearch(**options)

    monkeypatch.setattr(client, "msearch", counting)
    monkeypatch.setattr(elasticsearch, "client", lambda: client)
    return sent


@pytest.mark.parametrize(
    ("q", "expected", "multi_searches"),
    [
        # « permis » is in the permis services' titles: the expected cutoff is the real one, the
        # page goes with the cutoff's request.
        ("permis", ["Aide au permis A", "Aide au permis B", "Aide au permis C"], 1),
        # « salle » is only in a description: the cutoff is lower than expected, the page is
        # asked again with it.
        ("salle", ["Ateliers numériques"], 2),
    ],
)
def test_a_search_with_words_waits_for_one_request_when_a_title_has_them(
    client, elasticsearch, requests_sent, offer, q, expected, multi_searches
):
    sync.sync_pending()
    elasticsearch.refresh()
    requests_sent.clear()
    body = client.get("/api/v1/search/services", {"code_commune": AUBAGNE, "q": q}).json()
    assert [item["service"]["nom"] for item in body["items"]] == expected
    assert len(requests_sent) == multi_searches


# (parameters, suggestions' reason and wider counts, multi-searches on Elasticsearch)
ZERO_RESULT_HELP = [
    # Nothing with these words within 2 km; the shelter's title has them: its cutoff is the
    # expected one, the help's counts come with the search.
    ({"q": "hebergement", "distance": "2"}, "mots", {30: 1, 50: 1}, 1),
    # Only descriptions have them farther: the counts made with the expected cutoff are
    # wrong there, and asked again as the help alone would (its cutoffs, then its counts).
    ({"q": "places", "distance": "2"}, "mots", {30: 2, 50: 2}, 3),
    # A description nearby: the page is asked again with the real cutoff, and the help's
    # counts with it (no request of their own).
    ({"q": "salle", "thematiques": GARDE}, "mots", {}, 2),
    # No words: the help's counts are a request of their own.
    ({"thematiques": GARDE, "distance": "10"}, "distance", {30: 1, 50: 1}, 2),
]


@pytest.mark.parametrize(("params", "reason", "wider", "multi_searches"), ZERO_RESULT_HELP)
def test_the_zero_result_help_counts_alike_on_both_backends(
    search_api, offer, params, reason, wider, multi_searches
):
    help = search_api(code_commune=AUBAGNE, **params).json()["suggestions"]
    assert help["reason"] == reason
    assert {row["distance"]: row["total"] for row in help["wider"]} == wider


@pytest.mark.parametrize(("params", "reason", "wider", "multi_searches"), ZERO_RESULT_HELP)
def test_the_zero_result_help_of_words_waits_for_no_request_of_its_own(
    client, elasticsearch, requests_sent, offer, params, reason, wider, multi_searches
):
    sync.sync_pending()
    elasticsearch.refresh()
    requests_sent.clear()
    body = client.get("/api/v1/search/services", {"code_commune": AUBAGNE, **params}).json()
    assert {row["distance"]: row["total"] for row in body["suggestions"]["wider"]} == wider
    assert len(requests_sent) == multi_searches
