"""Bad input gets a 400 with one precise message per parameter, never a 500."""

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("database_backend")]

URL = "/api/v1/search/services"


@pytest.mark.parametrize(
    "params, field, message",
    [
        ({"code_commune": "99999"}, "code_commune", "Commune inconnue"),
        ({"code_postal": "00000"}, "code_postal", "Aucune commune n'a le code postal 00000"),
        ({"code_postal": "13a00"}, "code_postal", "5 chiffres"),
        ({"lat": "abc", "lon": "5.4"}, "lat", "nombre"),
        ({"lat": "43.3"}, "lon", "vont ensemble"),
        ({"lon": "5.4"}, "lat", "vont ensemble"),
        ({"lat": "51.5", "lon": "-0.12"}, "lat", "pas en France"),
        ({"lat": "400", "lon": "5"}, "lat", "pas en France"),
        ({"lat": "nan", "lon": "5"}, "lat", "nombre"),
        ({"code_commune": "13055", "code_postal": "13001"}, "code_postal", "un seul lieu"),
        ({"code_commune": "13055", "lat": "43.3", "lon": "5.4"}, "lat", "un seul lieu"),
        ({"distance": "0"}, "distance", "supérieure ou égale à 1"),
        ({"distance": "101"}, "distance", "inférieure ou égale à 100"),
        ({"distance": "vingt"}, "distance", "nombre"),
        ({"thematiques": "mobilite,velo"}, "thematiques", "« velo »"),
        ({"publics": "tous"}, "publics", "« tous »"),
        ({"types": "x"}, "types", "« x »"),
        ({"frais": "cher"}, "frais", "« cher »"),
        ({"modes_accueil": "domicile"}, "modes_accueil", "« domicile »"),
        ({"size": "101"}, "size", "inférieure ou égale à 100"),
        ({"size": "0"}, "size", "supérieure ou égale à 1"),
        ({"page": "0"}, "page", "supérieure ou égale à 1"),
        ({"page": "deux"}, "page", "nombre entier"),
        ({"q": "x" * 201}, "q", "200 caractères"),
    ],
)
def test_bad_parameter_is_named_with_a_clear_message(client, params, field, message):
    response = client.get(URL, params)

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert field in errors
    assert any(message in text for text in errors[field]), errors


def test_several_bad_parameters_are_all_reported(client):
    errors = client.get(URL, {"size": "500", "distance": "0", "types": "x"}).json()["errors"]

    assert set(errors) == {"size", "distance", "types"}


def test_only_get_is_allowed(client):
    assert client.post(URL, {}).status_code == 405


def test_repeated_parameters_work_like_commas(client):
    repeated = client.get(URL, {"thematiques": ["mobilite", "numerique"]})
    commas = client.get(URL, {"thematiques": "mobilite,numerique"})

    assert repeated.status_code == commas.status_code == 200
    assert repeated.json() == commas.json()
