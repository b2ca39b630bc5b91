"""A référent's file active (seed 003: « la file active du référent »): the people whose étape
they lead and the people they oriented by prescription, one row each, with what needs attention;
and the people they accompanied, readable for a month after their étape ended.

The rows are built with a fixed number of queries, whatever the number of people.
"""

from dataclasses import dataclass, field

from django.utils import timezone

from config.text import folded_words
from fiche_relais import services, states
from fiche_relais.models import PREVIOUS_REFERENT_ACCESS, Etape, FicheRelais
from prescription.models import Prescription, Statut

ACCOMPAGNEE = "accompagnee"
ORIENTEE = "orientee"
RELAIS_ENVOYE = "relais-envoye"
RELAIS_BROUILLON = "relais-brouillon"
STATUTS = [
    (ACCOMPAGNEE, "Accompagnée (étape en cours)"),
    (RELAIS_BROUILLON, "Fiche relais en brouillon"),
    (RELAIS_ENVOYE, "Fiche relais envoyée, relais non pris"),
    (ORIENTEE, "Orientée par prescription seulement"),
]


@dataclass
class Row:
    """One person of the file active. `personne`/`etape` are None for a person only oriented by
    prescription (her prescriptions then lead to her)."""

    nom: str
    prenom: str
    commune: str
    personne: object = None
    etape: object = None
    prescriptions: list = field(default_factory=list)
    fiche: object = None  # my latest fiche relais for her under way (`states.UNDER_WAY`)
    alertes: list = field(default_factory=list)  # texts: « risque de rupture », « RDV en retard »…

    @property
    def statuts(self):
        found = {ACCOMPAGNEE} if self.etape else {ORIENTEE}
        if self.fiche is not None:
            sent = self.fiche.statut in states.PENDING
            found.add(RELAIS_ENVOYE if sent else RELAIS_BROUILLON)
        return found

    @property
    def url(self):
        if self.personne is not None:
            return self.personne.get_absolute_url()
        return self.prescriptions[0].get_absolute_url()


def of_people(keys):
    """The sent prescriptions of the people whose keys are given, the latest first."""
    return (
        Prescription.objects.filter(personne_cle__in=keys, anonymisee_le=None)
        .exclude(statut=Statut.BROUILLON)
        .select_related("service__structure")
        .order_by("-envoyee_le")
    )


def _alerts(fiche, prescriptions):
    found = [fiche.alerte()] if fiche is not None else []
    found += [f"RDV en retard ({p.service.nom})" for p in prescriptions if p.en_retard]
    return [text for text in found if text]


def rows(user):
    """[Row] of `user`'s file active, followed people first, then by name."""
    etapes = list(services.etapes_suivies(user).order_by("personne__nom", "personne__prenom"))
    followed = {etape.personne.personne_cle for etape in etapes}
    mine = Prescription.objects.filter(prescripteur=user, anonymisee_le=None)
    keys = followed | set(mine.values_list("personne_cle", flat=True))
    by_key = {}
    for prescription in of_people(keys).select_related("commune"):
        by_key.setdefault(prescription.personne_cle, []).append(prescription)
    pending = {
        fiche.personne_id: fiche
        for fiche in FicheRelais.objects.filter(auteur=user, statut__in=states.UNDER_WAY).order_by(
            "cree_le"
        )
    }
    found = []
    for etape in etapes:
        personne = etape.personne
        prescriptions = by_key.get(personne.personne_cle, [])
        fiche = pending.get(personne.pk)
        found.append(Row(
            personne.nom, personne.prenom, personne.commune.nom, personne=personne, etape=etape,
            prescriptions=prescriptions, fiche=fiche, alertes=_alerts(fiche, prescriptions),
        ))  # fmt: skip
    oriented = [key for key in by_key if key not in followed]
    for key in sorted(oriented):
        # Mine first: the row leads to the first one.
        prescriptions = sorted(by_key[key], key=lambda p: p.prescripteur_id != user.pk)
        first = prescriptions[0]
        found.append(Row(
            first.nom, first.prenom, first.commune.nom, prescriptions=prescriptions,
            alertes=_alerts(None, prescriptions),
        ))  # fmt: skip
    return found


def filtered(found, *, q="", etape="", statut="", alerte=False):
    """The rows matching every filter given: words of `q` in the name or first name (accents and
    case ignored), the étape's dispositif, a status of STATUTS, having an alert."""
    words = folded_words(q).split()
    return [
        row
        for row in found
        if all(word in folded_words(f"{row.nom} {row.prenom}") for word in words)
        and (not etape or (row.etape is not None and row.etape.dispositif == etape))
        and (not statut or statut in row.statuts)
        and (not alerte or row.alertes)
    ]


def dispositifs(found):
    return sorted({row.etape.dispositif for row in found if row.etape is not None})


def accompagnees(user, today=None):
    """[(étape, access until)] of the étapes `user` led that ended less than a month ago, the
    person now followed by someone else (seed 003: the previous référent keeps reading one
    month)."""
    still_mine = Etape.objects.filter(referent=user, fin=None).values("personne")
    ended = (
        Etape.objects.filter(referent=user, fin__gte=access_start(today))
        .exclude(personne__in=still_mine)
        .select_related("personne__commune")
        .order_by("-fin", "-pk")
    )
    latest = {}
    for etape in ended:
        latest.setdefault(etape.personne_id, etape)
    return [(etape, etape.fin + PREVIOUS_REFERENT_ACCESS) for etape in latest.values()]


def access_start(today=None):
    """The first end date of an étape whose référent still reads the person today."""
    return (today or timezone.localdate()) - PREVIOUS_REFERENT_ACCESS
