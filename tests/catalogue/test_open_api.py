"""The open API: data·inclusion v1 records, paginated, filtered; full records with a token."""

from io import StringIO

from django.core.management import call_command

import pytest

from accounts.models import ApiToken
from catalogue.models import Service
from tests.catalogue.conformance import assert_conformant
from tests.factories import ServiceFactory, StructureFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def offer():
    marseille = StructureFactory(source="ville")
    ServiceFactory(structure=marseille, thematiques=["mobilite--preparer-un-permis"])
    ServiceFactory(
        structure=marseille, thematiques=["numerique--acceder-a-des-services-en-ligne"],
        code_insee="13005", code_postal="13400", commune="Aubagne", latitude=43.29, longitude=5.57,
    )  # fmt: skip
    lyon = StructureFactory(
        code_insee="69123", code_postal="69001", commune="Lyon", latitude=45.76, longitude=4.83
    )
    ServiceFactory(
        structure=lyon, code_insee="69123", code_postal="69001", commune="Lyon",
        latitude=45.767, longitude=4.835, thematiques=["mobilite--acceder-a-un-vehicule"],
    )  # fmt: skip
    ServiceFactory(statut=Service.Statut.BROUILLON)


def test_services_are_conformant_open_records(client, offer):
    body = client.get("/api/v1/services").json()

    assert body["total"] == 3 and body["page"] == 1 and body["pages"] == 1
    assert_conformant("service", body["items"])
    for record in body["items"]:
        assert record["contact_nom_prenom"] is None and record["courriel"] is None


@pytest.mark.parametrize(
    "params, total",
    [
        ({"departement": "13"}, 2),
        ({"departement": "69"}, 1),
        ({"code_commune": "13005"}, 1),
        ({"thematiques": "mobilite"}, 2),
        (
            {
                "thematiques": "mobilite--acceder-a-un-vehicule,numerique--acceder-a-des-services-en-ligne"
            },
            2,
        ),
        ({"date_maj_min": "2999-01-01"}, 0),
        ({"source": "portail-spie"}, 3),
        ({"source": "autre"}, 0),
    ],
)
def test_service_filters(client, offer, params, total):
    assert client.get("/api/v1/services", params).json()["total"] == total


def test_structures_and_pagination(client, offer):
    first = client.get("/api/v1/structures", {"size": 2, "page": 1}).json()
    second = client.get("/api/v1/structures", {"size": 2, "page": 2}).json()

    assert first["total"] == 3 and first["pages"] == 2  # the draft's structure is published
    assert len(first["items"]) == 2 and len(second["items"]) == 1
    assert {r["id"] for r in first["items"]}.isdisjoint({r["id"] for r in second["items"]})
    assert_conformant("structure", first["items"] + second["items"])


def test_a_token_gives_the_full_records(client, offer):
    out = StringIO()
    call_command("create_api_token", "Département 13", stdout=out)
    key = out.getvalue().splitlines()[1]

    body = client.get("/api/v1/services", HTTP_AUTHORIZATION=f"Token {key}").json()

    assert {r["contact_nom_prenom"] for r in body["items"]} == {"Nadia Haddad"}
    assert_conformant("service", body["items"])
    assert client.get("/api/v1/services", HTTP_AUTHORIZATION="Token faux").status_code == 401
    ApiToken.objects.update(revoque_le="2026-01-01T00:00Z")
    assert client.get("/api/v1/services", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401


@pytest.mark.parametrize(
    "params, field",
    [
        ({"size": "1001"}, "size"),
        ({"page": "0"}, "page"),
        ({"thematiques": "velo"}, "thematiques"),
        ({"date_maj_min": "hier"}, "date_maj_min"),
    ],
)
def test_bad_parameters(client, params, field):
    response = client.get("/api/v1/services", params)

    assert response.status_code == 400 and field in response.json()["errors"]
