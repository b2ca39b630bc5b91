"""The states, named groups and tables of actions of the fiche relais and of the situations put
before the commission SPIE (run by the one engine, `config.workflow`)."""

from django.db import models
from django.utils import timezone

from config.workflow import Workflow, action

# Roles, as `fiche_relais.access.roles_on` tells them.
AUTEUR = "auteur"  # the référent d'étape who writes and sends the fiche
ADMIN_DESTINATAIRE = "admin-destinataire"  # an admin of the structure it was sent to
DESTINATAIRE = "destinataire"  # the référent who is to take over
COORDINATION = "coordination"  # the coordination SPIE of the person's territory


class FicheRelaisStatut(models.TextChoices):
    BROUILLON = "brouillon", "Brouillon"
    ENVOYEE = "envoyee", "Envoyée"
    PRISE_EN_CHARGE = "prise-en-charge", "Relais pris"
    REMPLACEE = "remplacee", "Remplacée par une nouvelle fiche"


F = FicheRelaisStatut
PENDING = frozenset({F.ENVOYEE})  # waits for a taker: at most one per person (a constraint)
TAKEN = frozenset({F.PRISE_EN_CHARGE})  # the relay was taken: a new étape started
SENT = PENDING | TAKEN | {F.REMPLACEE}  # the coordination reads these
UNDER_WAY = PENDING | {F.BROUILLON}  # the author's handover, neither taken nor replaced
WRITABLE = UNDER_WAY  # the author still corrects these


def _nobody_designated(fiche, user, now):
    if fiche.destinataire_id is not None:
        return f"Un référent est déjà désigné pour cette fiche : {fiche.destinataire}."
    return ""


def _designated_taker(fiche, user, now):
    if user is None or fiche.destinataire_id != user.pk:
        return "Seul le référent destinataire peut prendre le relais de cette fiche."
    return ""


SENDING_FIELDS = {
    "destinataire", "structure_destinataire", "consentement", "dispositif_propose",
    "contrat_propose", "rencontre_tripartite",
}  # fmt: skip

FICHE_RELAIS = Workflow(
    model="fiche_relais.FicheRelais",
    log="fiche_relais.FicheRelaisTransition",
    log_fk="fiche",
    noun="Cette fiche relais",
    labels=F.choices,
    actions=[
        action(
            "envoyer",
            "Envoyer",
            {F.BROUILLON},
            F.ENVOYEE,
            AUTEUR,
            fields=SENDING_FIELDS,
            stamps=["envoyee_le"],
        ),
        action(
            "designer",
            "Désigner le référent",
            PENDING,
            F.ENVOYEE,
            ADMIN_DESTINATAIRE,
            fields={"destinataire"},
            guard=_nobody_designated,
        ),
        action(
            "prendre_le_relais",
            "Je prends le relais",
            PENDING,
            F.PRISE_EN_CHARGE,
            DESTINATAIRE,
            fields={"prise_en_charge_par"},
            stamps=["prise_en_charge_le"],
            guard=_designated_taker,
        ),
        action("remplacer", "Remplacer par une nouvelle fiche", PENDING, F.REMPLACEE, AUTEUR),
    ],
)


class SituationStatut(models.TextChoices):
    SIGNALEE = "signalee", "Signalée"
    INSCRITE = "inscrite", "Inscrite à l'ordre du jour"
    DECIDEE = "decidee", "Décision prise"


S = SituationStatut
TO_TREAT = frozenset({S.SIGNALEE, S.INSCRITE})
TREATED = frozenset({S.DECIDEE})  # « situations traitées » (seed 001: with a decision)


def _commission_met(situation, user, now):
    """A decision only from the commission's date (seed 001: the commission « examine »)."""
    commission = situation.commission
    if commission.date > timezone.localdate(now):
        return (
            f"La commission se réunit le {commission.date:%d/%m/%Y} : "
            "sa décision s'enregistre à partir de ce jour."
        )
    return ""


SITUATION = Workflow(
    model="fiche_relais.SituationBloquee",
    log="fiche_relais.SituationTransition",
    log_fk="situation",
    noun="Cette situation",
    labels=S.choices,
    actions=[
        action(
            "inscrire",
            "Inscrire à l'ordre du jour",
            TO_TREAT,
            S.INSCRITE,
            COORDINATION,
            fields={"commission"},
        ),
        action(
            "decider",
            "Enregistrer la décision",
            {S.INSCRITE},
            S.DECIDEE,
            COORDINATION,
            guard=_commission_met,
        ),
    ],
)
