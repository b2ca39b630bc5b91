"""The database backend's list comparisons (`search.backends.database.Holds`): whole items only,
on SQLite and PostgreSQL, and on PostgreSQL answered by the list indexes of migration search
0011 (a search reading the whole table was 92 ms instead of 29 on the national catalogue)."""

import pytest

from search.backends.database import Holds
from search.models import IndexEntry
from tests.search.offer import lay_out

pytestmark = pytest.mark.django_db

AUBAGNE = "13005"
PERMIS = "mobilite--preparer-un-permis"
CONSEIL = "mobilite--etre-accompagne-dans-son-parcours-mobilite"
OFFER = {
    "Aide au permis": (1, PERMIS, "Une aide pour financer le permis B."),
    "Code de la route": (2, CONSEIL, "Réviser le code."),
    "Atelier numérique": (3, "numerique--acceder-a-des-services-en-ligne", "Des ordinateurs."),
}


def _names(*conditions):
    entries = IndexEntry.objects.filter(*conditions).select_related("service")
    return sorted(entry.service.nom for entry in entries)


@pytest.mark.parametrize(
    "column, items, every, expected",
    [
        ("tokens", ["perm"], False, ["Aide au permis"]),
        ("tokens", ["pe"], False, []),  # a part of a word is not the word
        ("tokens", ["t:perm"], False, ["Aide au permis"]),
        ("tokens", ["cod", "rout"], True, ["Code de la route"]),
        ("tokens", ["cod", "perm"], True, []),
        ("tokens", ["cod", "perm"], False, ["Aide au permis", "Code de la route"]),
        ("thematiques", [PERMIS, CONSEIL], False, ["Aide au permis", "Code de la route"]),
        ("thematiques", [PERMIS], False, ["Aide au permis"]),
        ("thematiques", ["mobilite"], False, []),  # a category is not its thématiques
        ("zones", ["13"], False, []),  # no zone given: none held
    ],
)
def test_a_list_holds_whole_items_only(column, items, every, expected):
    lay_out(AUBAGNE, OFFER)
    assert _names(Holds(column, items, every=every)) == expected


@pytest.mark.parametrize("column", ["tokens", "thematiques", "zones"])
@pytest.mark.parametrize("every", [False, True])
def test_postgresql_answers_the_comparisons_with_the_list_indexes(postgresql, column, every):
    lay_out(AUBAGNE, OFFER)
    with postgresql.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = IndexEntry.objects.filter(Holds(column, ["perm", "13"], every=every)).explain()
    assert f"search_indexentry_{column}_list" in plan
