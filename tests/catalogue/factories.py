"""Factories of the catalogue's service models (the others are in `tests.factories`)."""

from dataclasses import dataclass

import factory
from factory.django import DjangoModelFactory

from catalogue import modeles
from catalogue.models import Membre, ModeleService, Service, Structure
from config.french import de
from tests.factories import MembreFactory, StructureFactory


class ModeleServiceFactory(DjangoModelFactory):
    class Meta:
        model = ModeleService

    structure = factory.SubFactory(StructureFactory, nom="Réseau des missions locales")
    nom = factory.Sequence(lambda n: f"Garantie jeunes {n}")
    description = (
        "Un accompagnement intensif d'un an vers l'emploi ou la formation, avec une allocation, "
        "pour les jeunes de 16 à 25 ans sans emploi ni formation."
    )
    type = "accompagnement"
    thematiques = ["trouver-un-emploi--repondre-a-des-offres-demploi"]
    frais = "gratuit"
    publics = ["jeunes"]
    modes_accueil = ["en-presentiel"]


@dataclass
class Reseau:
    """A network (`tete`, administered by `admin`) whose `modele` runs in three `antennes`
    (`copies[i]` in `antennes[i]`, administered by `admins[i]`, with a plain member each)."""

    tete: Structure
    admin: object
    modele: ModeleService
    antennes: list
    admins: list
    membres: list
    copies: list


def copy_of(modele, structure, user, **local):
    """A published copy of `modele` in `structure`, as `user` creates it."""
    service = modeles.new_copy(modele)
    service.structure = structure
    service.statut = Service.Statut.PUBLIE
    for name, value in local.items():
        setattr(service, name, value)
    return modeles.save_copy(service, user)


# Two antennes in the Bouches-du-Rhône (13), one in the Tarn (81).
PLACES = [
    {"commune": "Marseille", "code_insee": "13055", "code_postal": "13001",
     "latitude": 43.2965, "longitude": 5.3698},
    {"commune": "Aubagne", "code_insee": "13005", "code_postal": "13400",
     "latitude": 43.2927, "longitude": 5.5708},
    {"commune": "Albi", "code_insee": "81004", "code_postal": "81000",
     "latitude": 43.9277, "longitude": 2.1480},
]  # fmt: skip


def reseau(copies=True):
    """A `Reseau`; without `copies`, its model is not copied yet (`copies` is empty)."""
    admin = MembreFactory(role=Membre.Role.ADMIN, structure__nom="Union des missions locales")
    modele = ModeleServiceFactory(structure=admin.structure)
    antennes = [
        StructureFactory(
            nom=f"Mission locale {de(lieu['commune'])}", structure_parente=admin.structure, **lieu
        )
        for lieu in PLACES
    ]
    admins = [MembreFactory(structure=a, role=Membre.Role.ADMIN).user for a in antennes]
    membres = [MembreFactory(structure=a, role=Membre.Role.MEMBRE).user for a in antennes]
    copies = [copy_of(modele, antenne, admin.user) for antenne in antennes] if copies else []
    return Reseau(admin.structure, admin.user, modele, antennes, admins, membres, copies)
