from datetime import timedelta

from django.utils import timezone

import factory
from factory.django import DjangoModelFactory

from accounts.models import User
from catalogue.models import Membre, Service, Structure

PASSWORD = "mot-de-passe-de-test-assez-long"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"personne{n}@example.org")
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Durand{n}")
    password = factory.django.Password(PASSWORD)


class StructureFactory(DjangoModelFactory):
    class Meta:
        model = Structure

    nom = factory.Sequence(lambda n: f"Association Tremplin {n}")
    description = "Une association d'insertion qui accompagne les habitants du quartier."
    siret = "73282932000074"
    code_insee = "13055"
    code_postal = "13001"
    commune = "Marseille"
    latitude = 43.2965
    longitude = 5.3698
    horaires_accueil = "Mo-Fr 09:00-12:00"


class ServiceFactory(DjangoModelFactory):
    class Meta:
        model = Service

    structure = factory.SubFactory(StructureFactory)
    statut = Service.Statut.PUBLIE
    nom = factory.Sequence(lambda n: f"Aide au permis de conduire {n}")
    description = (
        "Une aide pour financer une partie du permis B lorsque l'absence de permis empêche de "
        "reprendre un emploi ou une formation. Le premier rendez-vous permet de faire le point."
    )
    thematiques = ["mobilite--preparer-un-permis"]
    publics = ["demandeurs-emploi"]
    modes_accueil = ["en-presentiel"]
    adresse = "12 rue de la République"
    code_postal = "13001"
    code_insee = "13055"
    commune = "Marseille"
    latitude = 43.2970
    longitude = 5.3700
    telephone = "0491000000"
    courriel = "permis@tremplin.example.org"
    contact_nom_prenom = "Nadia Haddad"


class MembreFactory(DjangoModelFactory):
    class Meta:
        model = Membre

    user = factory.SubFactory(UserFactory)
    structure = factory.SubFactory(StructureFactory)
    role = Membre.Role.MEMBRE


class CoordinationFactory(DjangoModelFactory):
    class Meta:
        model = "accounts.Coordination"
        skip_postgeneration_save = True

    nom = "Coordination SPIE des Bouches-du-Rhône"
    departement_id = "13"

    @factory.post_generation
    def membres(self, create, extracted, **kwargs):
        if create and extracted:
            self.membres.add(*extracted)


def _in(**delta):
    return factory.LazyFunction(lambda: timezone.now() + timedelta(**delta))


class PrescriptionFactory(DjangoModelFactory):
    """A prescription just sent (use `prescription.services.send` to go through the form's path).
    Traits set a state with the fields it implies: `PrescriptionFactory(refusee=True)`."""

    class Meta:
        model = "prescription.Prescription"

    class Params:
        brouillon = factory.Trait(statut="brouillon", envoyee_le=None)
        a_l_etude = factory.Trait(statut="a-l-etude", premiere_reponse_le=_in())
        acceptee = factory.Trait(statut="acceptee", premiere_reponse_le=_in())
        refusee = factory.Trait(
            statut="refusee", motif_refus="plus-de-places", premiere_reponse_le=_in(),
            cloturee_le=_in(),
        )  # fmt: skip
        expiree = factory.Trait(statut="expiree", envoyee_le=_in(days=-31), cloturee_le=_in())
        annulee = factory.Trait(statut="annulee", cloturee_le=_in())
        rdv_fixe = factory.Trait(
            statut="rdv-fixe", rdv_le=_in(days=3), rdv_lieu="12 rue de la République",
            premiere_reponse_le=_in(),
        )  # fmt: skip
        rdv_passe = factory.Trait(rdv_fixe=True, rdv_le=_in(hours=-2))
        personne_recue = factory.Trait(rdv_passe=True, statut="personne-recue", cloturee_le=_in())
        personne_absente = factory.Trait(
            rdv_passe=True, statut="personne-absente", cloturee_le=_in()
        )

    service = factory.SubFactory(ServiceFactory)
    prescripteur = factory.SubFactory(UserFactory)
    statut = "envoyee"
    nom = "Martin"
    prenom = factory.Sequence(lambda n: f"Léa{n}")
    commune_id = "13005"
    telephone = "0600000000"
    courriel = "lea.martin@example.org"
    motif = "Recherche d'un financement pour le permis B."
    conditions_remplies = True
    consentement_le = factory.LazyFunction(timezone.now)
    consentement_par = factory.SelfAttribute("prescripteur")
    envoyee_le = factory.LazyFunction(timezone.now)
