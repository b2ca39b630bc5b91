"""The search contract, case by case, on both backends: same ids, same order, same distances."""

import pytest
from geopy.distance import great_circle

from catalogue.models import Service
from territoires.models import Commune
from tests.search import scenario
from tests.search.scenario import (
    CUGES,
    HEBERGEMENT,
    LE_BEAUSSET,
    LYON,
    MARSEILLE_1ER,
    PARIS,
    PERMIS,
    SERVICES,
    VEHICULE,
    build_scenario,
    identifiant,
)

pytestmark = pytest.mark.django_db

NEAR_CUGES = [
    "saint-cyr-tous-publics", "aubagne", "aubagne-cuges-seulement", "roquevaire-sans-mode",
    "beausset-ouvert", "ciotat-metropole",
]  # fmt: skip
REMOTE_FROM_CUGES = ["a-distance-france", "paris-sur-place-et-a-distance"]
FROM_CUGES = NEAR_CUGES + REMOTE_FROM_CUGES
MOBILITE_FROM_CUGES = [
    "aubagne", "aubagne-cuges-seulement", "beausset-ouvert", "ciotat-metropole",
    "a-distance-france", "paris-sur-place-et-a-distance",
]  # fmt: skip
PUBLISHED = sorted(key for key in SERVICES if key not in {"brouillon", "structure-non-publiee"})

CASES = {
    "commune": ({"code_commune": CUGES}, FROM_CUGES),
    "postal code → most populous commune": ({"code_postal": "13780"}, FROM_CUGES),
    "point at the town hall": ({"lat": "43.27526", "lon": "5.69992"}, FROM_CUGES),
    "distance 50 km": (
        {"code_commune": CUGES, "distance": "50"},
        [*NEAR_CUGES, "aix-jeunes", *REMOTE_FROM_CUGES],
    ),
    "distance 11 km": (
        {"code_commune": CUGES, "distance": "11"},
        ["saint-cyr-tous-publics", "aubagne", "aubagne-cuges-seulement", *REMOTE_FROM_CUGES],
    ),
    "across the border: département and EPCI zones": (
        {"code_commune": LE_BEAUSSET},
        [
            "beausset-ouvert",
            "beausset-var-seulement",
            "saint-cyr-tous-publics",
            "a-distance-france",
            "a-distance-var-seulement",
            "paris-sur-place-et-a-distance",
        ],
    ),  # fmt: skip
    "arrondissement: its commune's zone applies": (
        {"code_commune": MARSEILLE_1ER},
        ["marseille-commune-seulement", "aubagne", "roquevaire-sans-mode", *REMOTE_FROM_CUGES],
    ),
    "on site without an address: at its structure's": (
        {"code_commune": LYON},
        ["lyon", "sur-place-a-sa-structure", *REMOTE_FROM_CUGES],
    ),
    "on site and remote: distance 0 at home": (
        {"code_commune": PARIS},
        ["paris-sur-place-et-a-distance", "a-distance-france"],
    ),
    "category expands to its thématiques": (
        {"code_commune": CUGES, "thematiques": "mobilite"},
        MOBILITE_FROM_CUGES,
    ),
    "one thématique": (
        {"code_commune": CUGES, "thematiques": VEHICULE},
        ["aubagne-cuges-seulement", "paris-sur-place-et-a-distance"],
    ),
    "any of two thématiques": (
        {"code_commune": CUGES, "thematiques": f"{VEHICULE},{HEBERGEMENT}"},
        ["aubagne-cuges-seulement", "roquevaire-sans-mode", "paris-sur-place-et-a-distance"],
    ),
    # The scenario's mobility services are all about a permis or a vehicle.
    "two thématiques of one category": (
        {"code_commune": CUGES, "thematiques": f"{PERMIS},{VEHICULE}"},
        MOBILITE_FROM_CUGES,
    ),
    "publics: also empty and tous-publics": (
        {"code_commune": CUGES, "publics": "jeunes"},
        ["saint-cyr-tous-publics", "roquevaire-sans-mode", "beausset-ouvert"],
    ),
    "no mode counts as on site": (
        {"code_commune": CUGES, "modes_accueil": "en-presentiel"},
        [*NEAR_CUGES, "paris-sur-place-et-a-distance"],
    ),
    "remote only": ({"code_commune": CUGES, "modes_accueil": "a-distance"}, REMOTE_FROM_CUGES),
    "types any-of, AND with thématiques": (
        {"code_commune": CUGES, "types": "aide-financiere,information", "thematiques": PERMIS},
        ["aubagne", "a-distance-france"],
    ),
    "frais": ({"code_commune": CUGES, "frais": "payant"}, ["ciotat-metropole"]),
    "text: accents, plural, elision, case": (
        {"code_commune": CUGES, "q": "HÉBERGEMENTS d'urgence femme"},
        ["roquevaire-sans-mode"],
    ),
    "text: a lexicon expression is one concept": (
        {"code_commune": CUGES, "q": "ateliers numériques"},
        ["saint-cyr-tous-publics"],
    ),
    "text: a word found nowhere": ({"code_commune": CUGES, "q": "boulangerie"}, []),
    "text: only stop words is no filter": ({"code_commune": CUGES, "q": "les de la"}, FROM_CUGES),
    "page 1 of 3": ({"code_commune": CUGES, "size": "3"}, FROM_CUGES[:3]),
    "page across near and remote": (
        {"code_commune": CUGES, "size": "5", "page": "2"},
        ["ciotat-metropole", *REMOTE_FROM_CUGES],
    ),
    "page made only of remote services": (
        {"code_commune": CUGES, "size": "7", "page": "2"},
        ["paris-sur-place-et-a-distance"],
    ),
    "page after the last": ({"code_commune": CUGES, "size": "5", "page": "3"}, []),
    "no place: everything, by id, no distance": ({"size": "100"}, PUBLISHED),
}


def _point(code_or_params):
    if "lat" in code_or_params:
        return float(code_or_params["lat"]), float(code_or_params["lon"])
    if "code_postal" in code_or_params:
        code_or_params = {"code_commune": CUGES}
    commune = Commune.objects.get(pk=code_or_params["code_commune"])
    return commune.latitude, commune.longitude


def expected_distance(params, key):
    """Independent of the code under test: geopy's great circle to the service's commune."""
    code = scenario.position_commune(key)
    if not any(p in params for p in ("code_commune", "code_postal", "lat")) or code is None:
        return None
    commune = Commune.objects.get(pk=code)
    km = great_circle(_point(params), (commune.latitude, commune.longitude)).km
    return km if km <= float(params.get("distance", 20)) else None


@pytest.fixture
def catalogue(search_api):
    build_scenario()


@pytest.mark.parametrize("params, expected", CASES.values(), ids=CASES.keys())
def test_contract_case(search_api, catalogue, params, expected):
    response = search_api(**params)

    assert response.status_code == 200, response.json()
    body = response.json()
    assert [item["service"]["id"] for item in body["items"]] == [identifiant(k) for k in expected]
    for item, key in zip(body["items"], expected, strict=True):
        want = expected_distance(params, key)
        if want is None:
            assert item["distance"] is None, key
        else:
            assert item["distance"] == pytest.approx(want, abs=0.01), key


def test_totals_pages_and_facets_cover_the_whole_result_set(search_api, catalogue):
    body = search_api(code_commune=CUGES, size=3, page=2).json()

    assert (body["total"], body["page"], body["size"], body["pages"]) == (8, 2, 3, 3)
    assert body["facets"] == {
        "thematiques": {PERMIS: 4, VEHICULE: 2, HEBERGEMENT: 1, scenario.NUMERIQUE: 1},
        "categories": {"mobilite": 6, "logement-hebergement": 1, "numerique": 1},
        "publics": {"demandeurs-emploi": 5, "tous-publics": 1, "jeunes": 1},
        "types": {"aide-financiere": 1, "accompagnement": 1, "information": 1},
        "frais": {"gratuit": 1, "payant": 1},
        "modes_accueil": {"en-presentiel": 7, "a-distance": 2},
    }


def test_item_is_the_data_inclusion_service_with_its_structure(search_api, catalogue):
    body = search_api(code_commune=CUGES, frais="payant").json()

    service = body["items"][0]["service"]
    assert service["id"] == identifiant("ciotat-metropole")
    assert service["zone_eligibilite"] == [scenario.METROPOLE_AMP]
    assert service["frais"] == "payant"
    assert service["structure"]["nom"].startswith("Association Tremplin")
    assert service["url"] == Service.objects.get(identifiant=service["id"]).get_absolute_url()
    assert body["items"][0]["distance"] == round(body["items"][0]["distance"], 2)


def test_anonymous_callers_never_get_private_contacts(search_api, catalogue):
    service = search_api(code_commune=CUGES, frais="payant").json()["items"][0]["service"]

    assert service["contact_nom_prenom"] is None
    assert service["telephone"] is None and service["courriel"] is None


def test_professionals_get_the_contacts(search_api, catalogue, client):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    service = search_api(code_commune=CUGES, frais="payant").json()["items"][0]["service"]

    assert service["contact_nom_prenom"] == "Nadia Haddad"
    assert service["courriel"] == "permis@tremplin.example.org"


ALL_THEMATIQUES_FROM_CUGES = {
    "thematiques": {PERMIS: 4, VEHICULE: 2, HEBERGEMENT: 1, scenario.NUMERIQUE: 1},
    "categories": {"mobilite": 6, "logement-hebergement": 1, "numerique": 1},
}
# The 6 mobilité services: the other groups counted on them, the thématiques on all 8.
MOBILITE_FROM_CUGES = {
    **ALL_THEMATIQUES_FROM_CUGES,
    "publics": {"demandeurs-emploi": 5, "jeunes": 1},
    "types": {"aide-financiere": 1, "accompagnement": 1, "information": 1},
    "frais": {"gratuit": 1, "payant": 1},
    "modes_accueil": {"en-presentiel": 5, "a-distance": 2},
}
DISJUNCTIVE_CASES = {
    "a ticked category leaves the other categories their counts": (
        {"code_commune": CUGES, "thematiques": "mobilite"},
        6,
        MOBILITE_FROM_CUGES,
    ),
    "two thématiques of one category: the same counts": (
        {"code_commune": CUGES, "thematiques": f"{PERMIS},{VEHICULE}"},
        6,
        MOBILITE_FROM_CUGES,
    ),
    "two groups: each one's counts under the other's selection": (
        {"code_commune": CUGES, "thematiques": "mobilite", "publics": "jeunes"},
        1,
        {
            # under publics=jeunes (with the services for everyone and those without public)
            "thematiques": {PERMIS: 1, HEBERGEMENT: 1, scenario.NUMERIQUE: 1},
            "categories": {"mobilite": 1, "logement-hebergement": 1, "numerique": 1},
            # under thematiques=mobilite
            "publics": {"demandeurs-emploi": 5, "jeunes": 1},
            # under both
            "types": {"accompagnement": 1},
            "frais": {},
            "modes_accueil": {"en-presentiel": 1},
        },
    ),
}


@pytest.mark.parametrize("params, total, facets", DISJUNCTIVE_CASES.values(), ids=DISJUNCTIVE_CASES)
def test_facet_counts_leave_out_their_own_group(search_api, catalogue, params, total, facets):
    body = search_api(**params).json()

    assert body["total"] == total
    assert len(body["items"]) == total
    assert body["facets"] == facets
