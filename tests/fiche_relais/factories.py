"""Factories of the parcours, the fiche relais and the commission SPIE, with traits:
`FicheRelaisFactory(envoyee=True)`, `FicheRelaisFactory(prise_en_charge=True)`,
`SituationFactory(inscrite=True)`."""

from datetime import timedelta

from django.utils import timezone

import factory
from factory.django import DjangoModelFactory

from catalogue.models import Membre
from fiche_relais.models import (
    Commission,
    Consentement,
    Etape,
    FicheRelais,
    Personne,
    SituationBloquee,
    Version,
)
from fiche_relais.template import empty_content
from tests.factories import CoordinationFactory, MembreFactory, StructureFactory, UserFactory


class PersonneFactory(DjangoModelFactory):
    class Meta:
        model = Personne

    nom = "Durand"
    prenom = "Inès"
    commune_id = "13005"  # Aubagne
    courriel = "ines@example.org"
    cree_par = factory.SubFactory(UserFactory)


class EtapeFactory(DjangoModelFactory):
    """The open étape of a person, led by a member of `structure`."""

    class Meta:
        model = Etape

    personne = factory.SubFactory(PersonneFactory)
    structure = factory.SubFactory(StructureFactory)
    referent = factory.LazyAttribute(lambda o: MembreFactory(structure=o.structure).user)
    dispositif = "PLIE"
    contrat = Etape.Contrat.PLIE
    debut = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=200))


class ConsentementFactory(DjangoModelFactory):
    class Meta:
        model = Consentement

    personne = factory.SubFactory(PersonneFactory)
    mode = Consentement.Mode.ACCORD
    recueilli_par = factory.SelfAttribute("personne.cree_par")


class FicheRelaisFactory(DjangoModelFactory):
    """A draft by the person's current référent, with its first version. `envoyee`: sent to
    `destinataire` (or, with `a_la_structure`, to `structure_destinataire`'s admins);
    `prise_en_charge`: taken over by the destinataire. Built as rows, without e-mails or log:
    go through `fiche_relais.services` to test the journey."""

    class Meta:
        model = FicheRelais
        skip_postgeneration_save = True

    class Params:
        etape = factory.SubFactory(EtapeFactory)
        envoyee = factory.Trait(
            statut="envoyee",
            envoyee_le=factory.LazyFunction(timezone.now),
            consentement=factory.SubFactory(
                ConsentementFactory, personne=factory.SelfAttribute("..personne")
            ),
            structure_destinataire=factory.SubFactory(StructureFactory),
            destinataire=factory.LazyAttribute(
                lambda o: MembreFactory(structure=o.structure_destinataire).user
            ),
        )
        a_la_structure = factory.Trait(envoyee=True, destinataire=None)
        prise_en_charge = factory.Trait(
            envoyee=True,
            statut="prise-en-charge",
            prise_en_charge_le=factory.LazyFunction(timezone.now),
            prise_en_charge_par=factory.SelfAttribute("destinataire"),
        )

    personne = factory.SelfAttribute("etape.personne")
    auteur = factory.SelfAttribute("etape.referent")
    structure_auteur = factory.SelfAttribute("etape.structure")

    @factory.post_generation
    def version(self, create, extracted, **kwargs):
        if create:
            Version.objects.create(
                fiche=self, numero=1, contenu=empty_content(), auteur=self.auteur,
                envoyee_le=self.envoyee_le,
            )  # fmt: skip


class CommissionFactory(DjangoModelFactory):
    class Meta:
        model = Commission

    coordination = factory.SubFactory(CoordinationFactory)
    date = factory.LazyFunction(timezone.localdate)
    lieu = "Aubagne"


class SituationFactory(DjangoModelFactory):
    """A situation bloquée flagged by the référent; `inscrite`: on a commission's agenda (that
    meets today unless told); `decidee`: decided."""

    class Meta:
        model = SituationBloquee

    class Params:
        inscrite = factory.Trait(
            statut="inscrite", commission=factory.SubFactory(CommissionFactory)
        )
        decidee = factory.Trait(inscrite=True, statut="decidee")

    personne = factory.SubFactory(PersonneFactory)
    motif = SituationBloquee.Motif.FREINS
    situation = "Mère isolée, sans solution de garde."
    actions_menees = "Demande de place en crèche."
    blocage = "Aucune place avant un an."
    demande = "Trouver une garde pour reprendre une formation."
    signalee_par = factory.SelfAttribute("personne.cree_par")


def admin_of(structure):
    return MembreFactory(structure=structure, role=Membre.Role.ADMIN).user
