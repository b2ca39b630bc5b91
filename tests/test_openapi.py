"""The OpenAPI document lists every public endpoint and every parameter their forms accept."""

import pytest

from catalogue.api import OpenDataForm
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


def test_the_document_is_browsable(client):
    html = client.get("/api/v1/docs/").content.decode()

    assert "GET /api/v1/search/services" in html and "<code>date_maj_min</code>" in html
