"""The OpenAPI document lists every public endpoint and every parameter their forms accept."""

import pytest

from catalogue.api import OpenDataForm
from search.facets import FACET_NAMES, GROUPS
from search.forms import SearchForm

pytestmark = pytest.mark.django_db


def test_document_covers_the_three_endpoints_and_their_parameters(client):
    document = client.get("/api/v1/openapi.json").json()

    assert document["openapi"] == "3.1.0"
    paths = document["paths"]
    assert set(paths) == {"/api/v1/search/services", "/api/v1/structures", "/api/v1/services"}
    search_parameters = {p["name"] for p in paths["/api/v1/search/services"]["get"]["parameters"]}
    assert search_parameters == set(SearchForm().fields)
    open_parameters = {p["name"] for p in paths["/api/v1/services"]["get"]["parameters"]}
    assert open_parameters == set(OpenDataForm().fields)
    size = next(p for p in paths["/api/v1/services"]["get"]["parameters"] if p["name"] == "size")
    assert size["schema"] == {"type": "integer", "minimum": 1, "maximum": 1000}


def test_facet_parameters_and_counts_come_from_the_registry(client):
    search = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/search/services"]["get"]

    parameters = {p["name"]: p["description"] for p in search["parameters"]}
    assert {name: parameters[name] for name in GROUPS} == {
        name: group.help for name, group in GROUPS.items()
    }
    assert "l'un ou l'autre" in parameters["types"]
    schema = search["responses"]["200"]["content"]["application/json"]["schema"]
    assert set(schema["properties"]["facets"]["properties"]) == set(FACET_NAMES)
    assert {"thematiques", "categories", "publics"} <= set(FACET_NAMES)


def test_the_document_is_browsable(client):
    html = client.get("/api/v1/docs/").content.decode()

    assert "GET /api/v1/search/services" in html and "<code>date_maj_min</code>" in html
