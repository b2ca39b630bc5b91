from dataclasses import dataclass

from django.utils import timezone

import pytest

from accounts.models import User
from catalogue.models import Structure
from fiche_relais.models import Commission, Consentement, Personne
from tests.factories import CoordinationFactory, MembreFactory, StructureFactory, UserFactory
from tests.fiche_relais.factories import ConsentementFactory, EtapeFactory, admin_of


@dataclass
class World:
    """A person in Aubagne followed by a PLIE (the departure), a mission locale that is to take
    the relay (the arrival), and the coordinations of the Bouches-du-Rhône and of the Var."""

    personne: Personne
    consentement: Consentement
    structure_depart: Structure
    referent_depart: User
    collegue_depart: User
    structure_arrivee: Structure
    referent_arrivee: User
    admin_arrivee: User
    coordinateur: User  # Bouches-du-Rhône: covers Aubagne
    coordinateur_var: User  # Var: does not
    inconnu: User


@pytest.fixture
def world():
    etape = EtapeFactory(structure=StructureFactory(nom="PLIE Aubagne"))
    arrivee = StructureFactory(nom="Mission locale")
    return World(
        personne=etape.personne,
        consentement=ConsentementFactory(personne=etape.personne, recueilli_par=etape.referent),
        structure_depart=etape.structure,
        referent_depart=etape.referent,
        collegue_depart=MembreFactory(structure=etape.structure).user,
        structure_arrivee=arrivee,
        referent_arrivee=MembreFactory(structure=arrivee).user,
        admin_arrivee=admin_of(arrivee),
        coordinateur=CoordinationFactory(membres=[UserFactory()]).membres.get(),
        coordinateur_var=CoordinationFactory(
            nom="Var", departement_id="83", membres=[UserFactory()]
        ).membres.get(),
        inconnu=UserFactory(),
    )


def on_the_agenda(situation, coordinator):
    """Puts the situation on today's commission of the coordinator's coordination."""
    situation.commission = Commission.objects.create(
        coordination=coordinator.coordinations.get(), date=timezone.localdate()
    )
    situation.save()
    return situation
