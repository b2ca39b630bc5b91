"""French wording (elision, plurals) and Paris time wherever a time is shown."""

import datetime

from django.template import Context, Template

import pytest

from actualisation.notifications import Digest
from config.french import accorde, de, pluriel
from fiche_relais.models import Lecture
from fiche_relais.services import lire, nouvelle_fiche
from tests.factories import StructureFactory
from tests.fiche_relais import conftest as fiche_relais_conftest

world = fiche_relais_conftest.world


@pytest.mark.parametrize("name, expected", [
    ("Amina Benali", "d'Amina Benali"), ("Émile", "d'Émile"), ("Œdipe", "d'Œdipe"),
    ("Ines", "d'Ines"), ("Léa", "de Léa"), ("Yannick", "de Yannick"), ("Yves", "d'Yves"),
    ("Hugues", "de Hugues"), ("", "de "),
])  # fmt: skip
def test_de_elides_before_a_vowel(name, expected):
    assert de(name) == expected


@pytest.mark.parametrize("count, forms, expected", [
    (0, "situation bloquée", "0 situation bloquée"), (1, "situation bloquée", "1 situation bloquée"),
    (2, "situation bloquée", "2 situations bloquées"), (3, "parcours", "3 parcours"),
    (2, "travail,travaux", "2 travaux"), (1, "travail,travaux", "1 travail"),
])  # fmt: skip
def test_pluriel_counts_the_french_way(count, forms, expected):
    assert pluriel(count, forms) == expected


@pytest.mark.parametrize("count, expected", [
    (0, "fiche relais envoyée"), (1, "fiche relais envoyée"), (2, "fiches relais envoyées"),
])  # fmt: skip
def test_accorde_agrees_the_noun_of_a_figure_shown_apart(count, expected):
    assert accorde(count, "fiche relais envoyée") == expected


@pytest.mark.django_db
def test_the_digest_subject_counts_and_elides():
    structure = StructureFactory(nom="Espace emploi")
    digest = Digest(structure, lines=["Atelier CV"], tasks=[], emails=[])

    assert digest.subject() == "1 service d'Espace emploi à confirmer"


def test_the_helpers_are_built_into_every_template():
    rendered = Template('{{ n|pluriel:"service" }} {{ name|de }}').render(
        Context({"n": 1, "name": "Amina"}, autoescape=False)
    )
    assert rendered == "1 service d'Amina"


@pytest.mark.django_db
def test_the_read_log_shows_paris_time(client, world):
    fiche = nouvelle_fiche(world.personne, world.referent_depart, world.structure_depart)
    lire(fiche, world.referent_depart)
    # 23:30 UTC on 31 January is 00:30 on 1 February in Paris.
    Lecture.objects.update(le=datetime.datetime(2026, 1, 31, 23, 30, tzinfo=datetime.UTC))
    client.force_login(world.referent_depart)

    page = client.get(f"/parcours/fiches/{fiche.pk}/").content.decode()

    assert "le 01/02/2026 00:30" in page and "31/01/2026 23:30" not in page
