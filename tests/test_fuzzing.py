"""Generated inputs (hypothesis) on the search API and the import validator: never a server
error, never an unhandled exception. 3,000 + 2,000 + 2,000 + 200 cases."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalogue import importer
from catalogue.models import Service
from catalogue.referentiels import REFERENTIELS
from tests.factories import ServiceFactory

pytestmark = pytest.mark.django_db

FIXTURES = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
SLUGS = [slug for values in REFERENTIELS.values() for slug, _ in values][:200]
SEARCH_PARAMS = ["code_commune", "code_postal", "lat", "lon", "distance", "thematiques", "publics",
                 "types", "frais", "modes_accueil", "q", "page", "size", "lieu"]  # fmt: skip
ANY_TEXT = st.text(max_size=40)
VALUES = st.one_of(
    ANY_TEXT,
    st.sampled_from(["13005", "13400", "2A004", "99999", "0", "-1", "1e309", "nan", "101"]),
    st.integers(-(10**12), 10**12).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.lists(st.sampled_from(SLUGS), max_size=4).map(",".join),
)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | ANY_TEXT,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(ANY_TEXT, children, max_size=3)
    ),
    max_leaves=8,
)


@pytest.fixture
def catalogue(settings):
    settings.SEARCH_BACKEND = "database"
    ServiceFactory.create_batch(3, code_insee="13005", code_postal="13400", commune="Aubagne",
                                latitude=43.29, longitude=5.57)  # fmt: skip


@settings(max_examples=3000, deadline=None, suppress_health_check=FIXTURES)
@given(params=st.dictionaries(st.sampled_from(SEARCH_PARAMS), VALUES, max_size=6))
def test_the_search_api_answers_200_or_400_to_anything(client, catalogue, params):
    response = client.get("/api/v1/search/services", params)

    assert response.status_code in {200, 400}, (params, response.content[:300])
    body = response.json()
    assert ("items" in body) if response.status_code == 200 else body["errors"]


def _record(kind):
    fields = list(importer.KINDS[kind][1].model_fields)
    return st.dictionaries(st.sampled_from(fields), JSON, max_size=len(fields))


@settings(max_examples=2000, deadline=None, suppress_health_check=FIXTURES)
@given(record=_record("structures"))
def test_the_structure_validator_never_raises(record):
    instance, errors = importer.validated("structures", record)
    assert (instance is None) == bool(errors)
    assert all(isinstance(message, str) and message for message in errors.values())


@settings(max_examples=2000, deadline=None, suppress_health_check=FIXTURES)
@given(record=_record("services"))
def test_the_service_validator_never_raises(record):
    instance, errors = importer.validated("services", record, structure_pks={})
    assert instance is None or not errors
    assert all(isinstance(message, str) and message for message in errors.values())


@settings(max_examples=200, deadline=None, suppress_health_check=FIXTURES)
@given(content=st.binary(max_size=400) | st.lists(JSON, max_size=4).map(
    lambda records: "\n".join(json.dumps(r) for r in records).encode()
))  # fmt: skip
def test_any_file_gives_a_report_and_no_half_record(tmp_path_factory, content):
    path = tmp_path_factory.mktemp("fuzz") / "services.jsonl"
    path.write_bytes(content)
    before = Service.objects.count()

    report = importer.import_services(path)

    assert report.etat in {"termine", "incomplet", "echec"}
    assert Service.objects.count() == before + report.crees
