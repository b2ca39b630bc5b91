"""Places as people write them: arrondissements, former communes, free text, addresses."""

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from territoires import places, services
from territoires.models import Commune

pytestmark = pytest.mark.django_db

# Every postal code of an arrondissement municipal and the arrondissement's INSEE code (La Poste
# and INSEE, written out by hand: Paris 750NN → 751NN, the 16e also 75116; Lyon 6900N → 6938N;
# Marseille 130NN → 132NN).
ARRONDISSEMENT_POSTAL_CODES = {
    **{f"750{n:02}": f"751{n:02}" for n in range(1, 21)},
    "75116": "75116",
    **{f"6900{n}": f"6938{n}" for n in range(1, 10)},
    **{f"130{n:02}": f"132{n:02}" for n in range(1, 17)},
}
CITY_OF = {"75": "75056", "69": "69123", "13": "13055"}


def test_the_table_covers_every_arrondissement_postal_code_of_the_reference_data():
    served = {
        code.code
        for arrondissement in Commune.objects.filter(type=Commune.Type.ARRONDISSEMENT)
        for code in arrondissement.codes_postaux.all()
    }
    assert served == set(ARRONDISSEMENT_POSTAL_CODES)


@pytest.mark.parametrize(("code_postal", "arrondissement"), ARRONDISSEMENT_POSTAL_CODES.items())
def test_an_arrondissement_postal_code_gives_that_arrondissement(code_postal, arrondissement):
    understood = places.of_postal_code(code_postal)
    commune = Commune.objects.get(pk=arrondissement)

    assert understood.commune.code_insee == arrondissement
    assert (understood.latitude, understood.longitude) == (commune.latitude, commune.longitude)
    assert commune.commune_parent_id == CITY_OF[code_postal[:2]]
    assert places.parse(code_postal).commune.code_insee == arrondissement
    assert services.search_communes(code_postal)[0].code_insee == arrondissement


@pytest.mark.parametrize(
    ("typed", "code_insee", "interpretation"),
    [
        ("Strasbourg 67000", "67482", places.NOM_ET_CODE_POSTAL),
        ("67000 Strasbourg", "67482", places.NOM_ET_CODE_POSTAL),
        ("albi 81000", "81004", places.NOM_ET_CODE_POSTAL),
        ("marseille 13013", "13213", places.NOM_ET_CODE_POSTAL),
        ("Lyon 69003", "69383", places.NOM_ET_CODE_POSTAL),
        ("St Etienne", "42218", places.NOM),
        ("saint etienne", "42218", places.NOM),
        ("Ste Maxime", "83115", places.NOM),
        ("lile dyeu", "85113", places.NOM),  # L'Île-d'Yeu, without hyphens or apostrophes
        ("Saint-Denis (974)", "97411", places.NOM),
        ("2A004", "2A004", places.CODE_INSEE),
        ("2b033", "2B033", places.CODE_INSEE),
        ("74093", "74010", places.ANCIEN_CODE_INSEE),
        ("Cran-Gevrier", "74010", places.ANCIEN_NOM),
        ("Cran-Gevrier (Annecy) (74960)", "74010", places.NOM_ET_CODE_POSTAL),
        ("Cuges-les-Pins (13780)", "13030", places.NOM_ET_CODE_POSTAL),
        ("13780", "13030", places.CODE_POSTAL),
    ],
)
def test_free_text_is_understood(typed, code_insee, interpretation):
    understood = places.parse(typed)

    assert (understood.commune.code_insee, understood.interpretation) == (
        code_insee,
        interpretation,
    )


def test_a_former_commune_is_named_with_its_current_commune():
    understood = places.parse("cran gevrier")

    assert understood.as_json()["nom"] == "Cran-Gevrier (Annecy)"
    assert services.current_code("74093") == "74010"
    assert services.current_code("74010") == "74010"
    assert services.current_code("99999") is None


def test_a_typo_proposes_choices_with_their_departement():
    with pytest.raises(places.PlaceError) as raised:
        places.parse("privat")

    labels = [candidate.label for candidate in raised.value.candidates]
    assert "Privas (07)" in labels
    assert "Saint-Privat-des-Vieux (30)" in labels


def test_homonyms_propose_choices():
    with pytest.raises(places.PlaceError) as raised:
        places.parse("Saint-Denis")

    labels = {candidate.label for candidate in raised.value.candidates}
    assert {"Saint-Denis (93)", "Saint-Denis (974)"} <= labels


def test_a_code_that_is_both_a_postal_code_and_an_insee_code_says_so():
    understood = places.parse("97411")

    assert understood.commune.nom == "Saint-Paul"
    assert understood.interpretation == places.CODE_POSTAL
    assert understood.other_reading.commune.code_insee == "97411"  # Saint-Denis


def test_coordinates_are_a_point():
    understood = places.parse("43.2965, 5.3698")

    assert (understood.latitude, understood.longitude) == (43.2965, 5.3698)
    assert understood.precision == places.PRECISION_POINT
    assert understood.commune.departement_id == "13"


@pytest.mark.parametrize(
    "typed", ["12 rue de la République 13400 Aubagne", "12 rue de la République Aubagne"]
)
def test_an_address_offline_is_placed_at_its_commune_approximately(typed):
    aubagne = Commune.objects.get(pk="13005")

    understood = places.parse(typed)

    assert understood.interpretation == places.ADRESSE
    assert understood.precision == places.PRECISION_COMMUNE
    assert (understood.latitude, understood.longitude) == (aubagne.latitude, aubagne.longitude)


BAN_ANSWER = (Path(__file__).parent / "data" / "ban_aubagne.json").read_bytes()


@pytest.fixture
def fake_ban(settings):
    """A local HTTP geocoder answering the BAN format; records the queries it received."""
    queries = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            queries.append(parse_qs(urlsplit(self.path).query)["q"][0])
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(BAN_ANSWER)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.GEOCODER = "ban"
    settings.GEOCODER_URL = f"http://127.0.0.1:{server.server_port}/geocodage/search"
    yield queries
    server.shutdown()
    server.server_close()


def test_an_address_is_geocoded_by_the_configured_geocoder(fake_ban):
    understood = places.parse("12 rue de la République 13400 Aubagne")

    assert understood.interpretation == places.ADRESSE
    assert understood.precision == places.PRECISION_ADRESSE
    assert (round(understood.latitude, 5), round(understood.longitude, 5)) == (43.29263, 5.56823)
    assert understood.commune.code_insee == "13005"
    assert fake_ban == ["12 rue de la republique 13400 Aubagne"]


def test_the_autocomplete_offers_former_names_with_their_commune(client):
    response = client.get("/territoires/communes/", {"q": "cran gev"})

    assert {"code_insee": "74010", "nom": "Cran-Gevrier (Annecy)"}.items() <= (
        response.json()["results"][0].items()
    )
