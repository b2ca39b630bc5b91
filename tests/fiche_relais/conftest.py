from datetime import timedelta

from django.utils import timezone

import pytest

from catalogue.models import Membre
from fiche_relais.models import Commission, Consentement, Etape, Personne
from tests.factories import CoordinationFactory, MembreFactory, StructureFactory, UserFactory


@pytest.fixture
def world():
    structure_a, structure_b = (
        StructureFactory(nom="PLIE Aubagne"),
        StructureFactory(nom="Mission locale"),
    )
    referent_a = MembreFactory(structure=structure_a).user
    referent_b = MembreFactory(structure=structure_b).user
    personne = Personne.objects.create(
        nom="Durand", prenom="Inès", commune_id="13005", courriel="ines@example.org",
        cree_par=referent_a,
    )  # fmt: skip
    Etape.objects.create(
        personne=personne, referent=referent_a, structure=structure_a, dispositif="PLIE",
        contrat=Etape.Contrat.PLIE, debut=timezone.localdate() - timedelta(days=200),
    )  # fmt: skip
    consent = Consentement.objects.create(
        personne=personne, mode=Consentement.Mode.ACCORD, recueilli_par=referent_a
    )
    return {
        "personne": personne, "a": referent_a, "b": referent_b, "structure_b": structure_b,
        "consent": consent, "structure_a": structure_a,
        "admin_b": MembreFactory(structure=structure_b, role=Membre.Role.ADMIN).user,
        "collegue_a": MembreFactory(structure=structure_a).user,
        "coordination": CoordinationFactory(membres=[UserFactory()]).membres.get(),
        "coordination_var": CoordinationFactory(
            nom="Var", departement_id="83", membres=[UserFactory()]
        ).membres.get(),
        "inconnu": UserFactory(),
    }  # fmt: skip


def on_the_agenda(situation, coordinator):
    """Puts the situation on today's commission of the coordinator's coordination."""
    situation.commission = Commission.objects.create(
        coordination=coordinator.coordinations.get(), date=timezone.localdate()
    )
    situation.save()
    return situation
