"""The person key finds a person again whatever the keyboard: « Nguyễn Thị Łucja » typed as
« nguyen thi lucja » is the same person, in prescriptions and in parcours."""

import datetime
import importlib

from django.apps import apps as django_apps

import pytest

from fiche_relais.models import Personne
from prescription.models import Prescription, person_key
from prescription.services import open_on_same_thematique
from tests.factories import PrescriptionFactory, UserFactory

pytestmark = pytest.mark.django_db

BORN = datetime.date(1990, 4, 12)


def test_the_key_ignores_diacritics_ligatures_case_and_punctuation():
    assert person_key("Nguyễn Thị", "Łucja", BORN) == person_key("nguyen thi", "lucja", BORN)
    assert person_key("Nguyễn Thị", "Łucja", BORN) == "nguyen thi|lucja|1990-04-12"
    assert person_key("Lefèvre-Œhl", "Jean-Loïc") == person_key("LEFEVRE OEHL", "jean loic")
    assert person_key("Strauß", "Ørjan") == person_key("Strauss", "Orjan")
    assert person_key("Martin", "Léa", BORN) != person_key("Martin", "Léo", BORN)


def test_an_open_prescription_is_found_whatever_the_spelling():
    earlier = PrescriptionFactory(nom="Nguyễn Thị", prenom="Łucja", date_naissance=BORN)

    found = open_on_same_thematique(
        Prescription.objects.all(), earlier.service, "NGUYEN THI", "Lucja", BORN
    )

    assert found == [earlier]


def _person(model, **identity):
    if model is Prescription:
        return PrescriptionFactory(**identity)
    return Personne.objects.create(**identity, commune_id="13005", cree_par=UserFactory())


@pytest.mark.parametrize("model", [Prescription, Personne])
def test_the_data_migrations_compute_stored_keys_again(model):
    """Keys stored by the earlier folding (ł kept) are computed again; anonymised rows (no
    key) keep none."""
    app = model._meta.app_label
    migration = importlib.import_module(f"{app}.migrations.0002_personne_cle_transliterated")
    kept = _person(model, nom="Nguyễn Thị", prenom="Łucja", date_naissance=BORN)
    anonymised = _person(model, nom="Anonyme", prenom="Anonyme")
    model.objects.filter(pk=kept.pk).update(personne_cle="nguyen thi|łucja|1990-04-12")
    model.objects.filter(pk=anonymised.pk).update(personne_cle="")

    migration.rekey(django_apps, None)

    assert model.objects.get(pk=kept.pk).personne_cle == person_key("nguyen thi", "lucja", BORN)
    assert model.objects.get(pk=anonymised.pk).personne_cle == ""
