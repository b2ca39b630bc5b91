"""« Ouvert maintenant » and « ouvert le … à … » on both backends: the same services, read in
each service's time zone, ranges over midnight included, a service without hours never open."""

from datetime import UTC, datetime

import pytest
import time_machine

from catalogue import horaires
from search.forms import ONE_OPENING_ONLY
from search.models import BesoinNonCouvert
from tests.factories import ServiceFactory, StructureFactory
from tests.prescription.test_fuseaux import FORT_DE_FRANCE

pytestmark = pytest.mark.django_db

URL = "/api/v1/search/services"
DAYS = "lundi, mardi, mercredi, jeudi, vendredi, samedi, dimanche"

# key: (the service's hours, its structure's hours, structure attributes)
SERVICES = {
    "matin": ("Mo-Fr 09:00-12:00", "", {}),
    "apres-midi": ("Mo-Fr 14:00-17:00", "", {}),
    "nuit-du-samedi": ("Sa 22:00-02:00", "", {}),
    "ferme-le-lundi": ("Tu-Fr 08:00-18:00; Mo off", "", {}),
    "sans-horaires": ("", "", {}),
    "horaires-de-la-structure": ("", "Mo 14:00-15:00", {}),
    "martinique": ("Mo 09:00-10:00", "", FORT_DE_FRANCE),
}
# Monday 30 November 2026, 13:30 UTC: 14:30 in Marseille, 09:30 in Fort-de-France.
MONDAY_AFTERNOON = datetime(2026, 11, 30, 13, 30, tzinfo=UTC)
# Sunday 29 November 2026, 00:30 UTC: 01:30 in Marseille, Saturday 20:30 in Fort-de-France.
SATURDAY_NIGHT = datetime(2026, 11, 29, 0, 30, tzinfo=UTC)


@pytest.fixture
def catalogue(search_api):
    for key, (hours, structure_hours, place) in SERVICES.items():
        structure = StructureFactory(horaires_accueil=structure_hours, **place)
        ServiceFactory(identifiant=f"test--{key}", structure=structure, horaires_accueil=hours,
                       **place)  # fmt: skip


def found(response):
    assert response.status_code == 200, response.json()
    return sorted(item["service"]["id"].removeprefix("test--") for item in response.json()["items"])


@pytest.mark.parametrize(
    ("instant", "expected"),
    [
        (MONDAY_AFTERNOON, ["apres-midi", "horaires-de-la-structure", "martinique"]),
        (SATURDAY_NIGHT, ["nuit-du-samedi"]),
    ],
)
def test_open_now_at_the_request_s_time(search_api, catalogue, instant, expected):
    with time_machine.travel(instant, tick=True):
        assert found(search_api(ouvert_maintenant="1")) == expected
        assert found(search_api(ouvert_maintenant="true", size=100)) == expected
        assert len(found(search_api(ouvert_maintenant="0"))) == len(SERVICES)


@pytest.mark.parametrize(
    ("day", "time", "expected"),
    [
        ("lundi", "09:30", ["martinique", "matin"]),  # each place's local time
        ("lundi", "14:00", ["apres-midi", "horaires-de-la-structure"]),
        ("lundi", "12:00", []),  # the end is not included
        ("mardi", "08:00", ["ferme-le-lundi"]),  # the start is
        ("samedi", "23:00", ["nuit-du-samedi"]),
        ("dimanche", "01:59", ["nuit-du-samedi"]),  # over midnight
        ("dimanche", "02:00", []),
        ("mercredi", "9:15", ["ferme-le-lundi", "matin"]),
        ("Mardi", "08:00", ["ferme-le-lundi"]),  # a day's name whatever its case
    ],
)
def test_open_on_a_day_at_a_time(search_api, catalogue, day, time, expected):
    assert found(search_api(ouvert_le=day, ouvert_a=time)) == expected


def test_counts_are_those_of_the_open_services(search_api, catalogue):
    body = search_api(ouvert_le="lundi", ouvert_a="09:30").json()

    assert body["total"] == 2
    assert body["facets"]["thematiques"] == {"mobilite--preparer-un-permis": 2}


def test_the_item_says_its_time_zone(search_api, catalogue):
    body = search_api(ouvert_le="lundi", ouvert_a="09:30").json()

    zones = {item["service"]["id"]: item["service"]["fuseau_horaire"] for item in body["items"]}
    assert zones == {"test--martinique": "America/Martinique", "test--matin": "Europe/Paris"}


@pytest.mark.usefixtures("database_backend")
def test_nothing_open_at_that_hour_is_not_an_unmet_need(client):
    ServiceFactory(horaires_accueil="Mo-Fr 09:00-12:00")
    near = {"code_commune": "13055"}
    assert client.get(URL, {**near, "ouvert_le": "lundi", "ouvert_a": "03:00"}).json()["total"] == 0
    assert client.get(URL, {**near, "thematiques": "logement-hebergement"}).json()["total"] == 0

    assert list(BesoinNonCouvert.objects.values_list("categories", flat=True)) == [
        ["logement-hebergement"]
    ]


@pytest.mark.usefixtures("database_backend")
@pytest.mark.parametrize(
    ("params", "errors"),
    [
        ({"ouvert_maintenant": "peut-etre"},
         {"ouvert_maintenant": ["« peut-etre » : 1 ou true (les services ouverts maintenant), "
                                "0 ou false."]}),
        ({"ouvert_le": "lundi"},
         {"ouvert_a": ["Indiquez l'heure avec le jour (ouvert_a, au format HH:MM)."]}),
        ({"ouvert_a": "10:00"}, {"ouvert_le": [f"Indiquez le jour avec l'heure ({DAYS})."]}),
        ({"ouvert_le": "funday", "ouvert_a": "10:00"},
         {"ouvert_le": [f"« funday » n'est pas un jour : {DAYS}."]}),
        ({"ouvert_le": "lundi", "ouvert_a": "25:00"},
         {"ouvert_a": ["Heure attendue au format HH:MM, de 00:00 à 23:59 (reçu « 25:00 »)."]}),
        ({"ouvert_le": "lundi", "ouvert_a": "10h"},
         {"ouvert_a": ["Heure attendue au format HH:MM, de 00:00 à 23:59 (reçu « 10h »)."]}),
        ({"ouvert_maintenant": "1", "ouvert_le": "lundi", "ouvert_a": "10:00"},
         {"ouvert_maintenant": [ONE_OPENING_ONLY]}),
    ],
)  # fmt: skip
def test_bad_opening_parameters_get_a_precise_400(client, params, errors):
    response = client.get(URL, params)

    assert response.status_code == 400
    assert response.json() == {"errors": errors}


def test_the_openapi_document_describes_the_opening_parameters(client):
    document = client.get("/api/v1/openapi.json").json()
    parameters = {p["name"]: p for p in document["paths"][URL]["get"]["parameters"]}

    assert parameters["ouvert_le"]["schema"]["enum"] == ["", *(name for _, name in horaires.WEEK)]
    assert "à l'heure de leur lieu" in parameters["ouvert_maintenant"]["description"]
    assert "HH:MM" in parameters["ouvert_a"]["description"]
