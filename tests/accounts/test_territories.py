"""Which coordinations cover a commune or a user: from sets, so that the four communes
without EPCI match no EPCI coordination and never every département's; arrondissements are
covered by their city's EPCI and département."""

from django.core import mail

import pytest

from accounts import territories
from fiche_relais import services
from fiche_relais.models import Personne
from prescription.models import Prescription
from territoires.models import Commune
from tests.factories import CoordinationFactory, PrescriptionFactory, UserFactory
from tests.fiche_relais.factories import ConsentementFactory, EtapeFactory

pytestmark = pytest.mark.django_db

WITHOUT_EPCI = {"85113": "85", "29155": "29", "22016": "22", "29083": "29"}
ARRONDISSEMENTS = {"13201": "200054807", "69381": "200046977", "75101": "200054781"}


@pytest.fixture
def coordinations():
    """A département coordination for 13, 22, 29, 85, and an EPCI coordination for each city."""
    made = {
        code: CoordinationFactory(nom=f"Département {code}", departement_id=code)
        for code in ("13", "22", "29", "85")
    }
    for epci in ARRONDISSEMENTS.values():
        made[epci] = CoordinationFactory(nom=f"EPCI {epci}", departement_id=None, epci_id=epci)
    return made


@pytest.mark.parametrize("code, departement", WITHOUT_EPCI.items())
def test_a_commune_without_epci_is_covered_by_its_departement_only(
    coordinations, code, departement
):
    commune = Commune.objects.get(pk=code)
    assert commune.epci_id is None

    covering = territories.coordinations_covering(commune)

    assert list(covering) == [coordinations[departement]]


@pytest.mark.parametrize("code, epci", ARRONDISSEMENTS.items())
def test_an_arrondissement_is_covered_by_its_city_epci_and_departement(coordinations, code, epci):
    commune = Commune.objects.get(pk=code)

    covering = set(territories.coordinations_covering(commune))

    assert coordinations[epci] in covering
    assert covering <= {coordinations[epci], coordinations.get(commune.departement_id)}


@pytest.mark.parametrize("code", [*WITHOUT_EPCI, *ARRONDISSEMENTS])
def test_a_user_coordinates_the_communes_the_coverage_says(coordinations, code):
    commune = Commune.objects.get(pk=code)
    for coordination in coordinations.values():
        user = UserFactory()
        coordination.membres.add(user)
        expected = coordination in set(territories.coordinations_covering(commune))

        assert territories.covers(user, commune) is expected
        rows = Commune.objects.filter(territories.coordinated_communes_filter(user, ""), pk=code)
        assert rows.exists() is expected


def test_nobody_outside_a_coordination_coordinates_anything(coordinations):
    user = UserFactory()
    assert not Commune.objects.filter(territories.coordinated_communes_filter(user, "")).exists()
    assert not territories.covers(user, Commune.objects.get(pk="85113"))


def test_a_fiche_relais_for_ouessant_copies_only_the_finistere(coordinations, mails):
    finistere, bouches_du_rhone = UserFactory(), UserFactory()
    coordinations["29"].membres.add(finistere)
    coordinations["13"].membres.add(bouches_du_rhone)
    etape = EtapeFactory(personne__commune_id="29155")
    fiche = services.nouvelle_fiche(etape.personne, etape.referent, etape.structure)

    with mails(execute=True):
        services.envoyer(
            fiche, etape.referent, destinataire=UserFactory(),
            consentement=ConsentementFactory(personne=etape.personne),
        )  # fmt: skip

    copies = [m.to for m in mail.outbox if m.subject.startswith("Copie")]
    assert copies == [[finistere.email]]


def test_the_coordination_of_an_epci_follows_prescriptions_in_its_arrondissements(coordinations):
    metropole = UserFactory()
    coordinations["200054807"].membres.add(metropole)
    in_marseille = PrescriptionFactory(commune_id="13201")
    PrescriptionFactory(commune_id="85113")

    followed = Prescription.objects.filter(territories.coordinated_communes_filter(metropole))

    assert list(followed) == [in_marseille]
    assert not Personne.objects.filter(territories.coordinated_communes_filter(metropole)).exists()
