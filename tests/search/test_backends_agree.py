"""On a generated catalogue, both backends give the same answer to a realistic query mix."""

from django.core.management import call_command
from django.http import QueryDict

import pytest

from bench.querymix import query_mix
from catalogue.demo import DEMO_DEPARTEMENTS
from search import sync
from search.backends import database
from search.backends import elasticsearch as elasticsearch_backend
from search.forms import SearchForm
from search.ranking import DISTANCE, PERTINENCE
from tests.search.scenario import PERMIS, VEHICULE

SORTS = (PERTINENCE, DISTANCE)

pytestmark = pytest.mark.django_db


def _query(params):
    data = QueryDict(mutable=True)
    data.update(params)
    form = SearchForm(data)
    assert form.is_valid(), form.errors
    return form.to_query()


def _summary(results):
    return {
        "total": results.total,
        "ids": [item.service["id"] for item in results.items],
        "facets": results.facets,
    }


def test_database_and_elasticsearch_give_the_same_answers(elasticsearch):
    call_command("load_demo", structures=60, services=600, seed=11, no_accounts=True)
    sync.rebuild_database_index()  # the corpus statistics the ranking weighs words with
    sync.sync_pending()
    elasticsearch.refresh()
    mix = query_mix(80, DEMO_DEPARTEMENTS, seed=5)
    queries = [_query(params) for params in mix]
    queries += [_query({"q": "aide", "size": "100"}), _query({"thematiques": "mobilite"})]
    # Words: ranked, with the lexicon and typos, sorted either way.
    for words in ["creche", "aide au cv", "hebergment urgence", "code de la route", "emploi"]:
        queries += [_query({"code_commune": "13201", "q": words, "tri": tri}) for tri in SORTS]
    # Several values per group and several groups: each group's counts ignore its own choice.
    several = [
        {"thematiques": "famille,sante", "publics": "jeunes"},
        {"thematiques": f"{PERMIS},{VEHICULE}", "modes_accueil": "a-distance", "frais": "gratuit"},
        {**mix[0], "publics": "jeunes", "types": "accompagnement,information"},
    ]
    queries += [_query(params) for params in several]

    answered = 0
    for query in queries:
        expected, actual = database.search(query), elasticsearch_backend.search(query)
        assert _summary(actual) == _summary(expected), query
        for mine, theirs in zip(actual.items, expected.items, strict=True):
            assert (mine.distance is None) == (theirs.distance is None)
            if mine.distance is not None:
                assert mine.distance == pytest.approx(theirs.distance, abs=0.01)
        answered += bool(expected.total)
    assert answered > len(queries) / 2  # the mix finds things: the comparison means something
    categories = database.search(queries[-3]).facets["categories"]
    assert set(categories) - {"famille", "sante"}  # the other categories keep their counts
