from django.core.exceptions import ValidationError

import pytest

from catalogue.models import Service
from catalogue.validators import validate_siret
from tests.factories import ServiceFactory, StructureFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("siret", ["73282932000074", "35600000000048"])
def test_valid_siret(siret):
    validate_siret(siret)


@pytest.mark.parametrize(
    ("siret", "message"),
    [
        ("73282932000075", "clé de contrôle"),
        ("7328293200007", "14 chiffres"),
        ("7328293200007A", "14 chiffres"),
    ],
)
def test_invalid_siret(siret, message):
    with pytest.raises(ValidationError, match=message):
        validate_siret(siret)


def _errors(instance):
    with pytest.raises(ValidationError) as raised:
        instance.full_clean()
    return raised.value.message_dict


def test_a_valid_service_passes_every_check():
    ServiceFactory.build(
        structure=StructureFactory(), zone_eligibilite=["13", "200054807", "13055", "france"]
    ).full_clean()


def test_unknown_insee_code():
    assert (
        "Code INSEE inconnu" in _errors(StructureFactory.build(code_insee="13999"))["code_insee"][0]
    )


def test_postal_code_must_serve_the_commune():
    errors = _errors(StructureFactory.build(code_insee="13055", code_postal="81000"))
    assert errors["code_postal"] == ["Le code postal 81000 ne dessert pas la commune 13055."]


def test_coordinates_outside_france_are_refused():
    errors = _errors(StructureFactory.build(latitude=51.5074, longitude=-0.1278))
    assert "hors de France" in errors["latitude"][0]


def test_half_coordinates_are_refused():
    errors = _errors(StructureFactory.build(latitude=43.3, longitude=None))
    assert "latitude et la longitude" in errors["latitude"][0]


def test_invalid_siret_on_a_structure():
    assert "clé de contrôle" in _errors(StructureFactory.build(siret="73282932000075"))["siret"][0]


def test_unknown_zone_codes_are_named():
    service = ServiceFactory.build(
        structure=StructureFactory(), zone_eligibilite=["13", "99999", "lune"]
    )
    assert "99999, lune" in _errors(service)["zone_eligibilite"][0]


def test_unknown_referential_slug_is_refused():
    service = ServiceFactory.build(structure=StructureFactory(), thematiques=["mobilite--voler"])
    assert "mobilite--voler" in _errors(service)["thematiques"][0]


def test_tous_publics_does_not_combine():
    service = ServiceFactory.build(structure=StructureFactory(), publics=["tous-publics", "jeunes"])
    assert "Tous publics" in _errors(service)["publics"][0]


def test_name_must_not_end_with_a_period():
    service = ServiceFactory.build(structure=StructureFactory(), nom="Atelier CV.")
    assert "point" in _errors(service)["nom"][0]


def test_published_queryset_hides_drafts_and_unpublished_structures():
    visible = ServiceFactory()
    ServiceFactory(statut=Service.Statut.BROUILLON)
    ServiceFactory(structure=StructureFactory(est_publiee=False))
    assert list(Service.objects.publies()) == [visible]
