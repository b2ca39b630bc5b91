"""The prescription's states, their named groups and its table of actions (run by the one engine,
`config.workflow`). Querysets, views and indicators read the groups from here."""

from django.db import models

from config.workflow import TransitionRefusee, Workflow, action

__all__ = ["TransitionRefusee"]

# Roles, as `prescription.access.role_of` tells them.
PRESCRIPTEUR = "prescripteur"
STRUCTURE = "structure"
SYSTEME = "systeme"


class Statut(models.TextChoices):
    BROUILLON = "brouillon", "Brouillon"
    ENVOYEE = "envoyee", "Envoyée"
    A_L_ETUDE = "a-l-etude", "À l'étude"
    ACCEPTEE = "acceptee", "Acceptée"
    REFUSEE = "refusee", "Refusée"
    EXPIREE = "expiree", "Expirée"
    ANNULEE = "annulee", "Annulée"
    RDV_FIXE = "rdv-fixe", "Rendez-vous fixé"
    PERSONNE_RECUE = "personne-recue", "Personne reçue"
    PERSONNE_ABSENTE = "personne-absente", "Personne absente"


# Named groups of states --------------------------------------------------------------------------
UNANSWERED = frozenset({Statut.ENVOYEE, Statut.A_L_ETUDE})  # reminded at J+10, expired at J+30
WAITING_FOR_RDV = UNANSWERED | {Statut.ACCEPTEE}  # « RDV attendu avant » applies
OPEN = WAITING_FOR_RDV | {Statut.RDV_FIXE}
# An appointment was set (it took place once its time passed, the person came or not).
WITH_RDV = frozenset({Statut.RDV_FIXE, Statut.PERSONNE_RECUE, Statut.PERSONNE_ABSENTE})
ACCEPTED = WITH_RDV | {Statut.ACCEPTEE}
# Closed without an appointment: the indicators count them apart, never in a rate.
CLOSED_WITHOUT_RDV = frozenset({Statut.REFUSEE, Statut.EXPIREE, Statut.ANNULEE})
CLOSED = CLOSED_WITHOUT_RDV | {Statut.PERSONNE_RECUE, Statut.PERSONNE_ABSENTE}

ANSWER_MESSAGES = ("message_prescripteur", "message_personne")
ANSWER_STAMPS = ("premiere_reponse_le",)
CLOSING_STAMPS = ("premiere_reponse_le", "cloturee_le")


def _appointment_time_reached(prescription, user, now):
    """« Reçue » or « absente » only once the appointment's time came."""
    if prescription.rdv_le is None or prescription.rdv_le > now:
        return "Le rendez-vous n'a pas encore eu lieu : attendez son heure pour dire si la personne est venue."
    return ""


WORKFLOW = Workflow(
    model="prescription.Prescription",
    log="prescription.Transition",
    log_fk="prescription",
    noun="Cette prescription",
    labels=Statut.choices,
    actions=[
        action(
            "envoyer",
            "Envoyer",
            {Statut.BROUILLON},
            Statut.ENVOYEE,
            PRESCRIPTEUR,
            stamps=["envoyee_le"],
        ),
        action(
            "etudier",
            "Mettre à l'étude",
            {Statut.ENVOYEE},
            Statut.A_L_ETUDE,
            STRUCTURE,
            stamps=ANSWER_STAMPS,
        ),
        action(
            "accepter",
            "Accepter",
            UNANSWERED,
            Statut.ACCEPTEE,
            STRUCTURE,
            fields=ANSWER_MESSAGES,
            stamps=ANSWER_STAMPS,
        ),
        action(
            "refuser",
            "Refuser",
            UNANSWERED,
            Statut.REFUSEE,
            STRUCTURE,
            fields={"motif_refus", "motif_refus_precisions", *ANSWER_MESSAGES},
            stamps=CLOSING_STAMPS,
        ),
        action(
            "annuler",
            "Annuler la prescription",
            {Statut.BROUILLON} | UNANSWERED,
            Statut.ANNULEE,
            PRESCRIPTEUR,
            stamps=["cloturee_le"],
        ),
        action("expirer", "Expirer", UNANSWERED, Statut.EXPIREE, SYSTEME, stamps=["cloturee_le"]),
        action(
            "fixer_rdv",
            "Fixer le rendez-vous",
            {Statut.ACCEPTEE},
            Statut.RDV_FIXE,
            STRUCTURE,
            fields={"rdv_le", "rdv_lieu", "a_apporter", "message_personne"},
            stamps=ANSWER_STAMPS,
        ),
        action(
            "personne_recue",
            "La personne a été reçue",
            {Statut.RDV_FIXE},
            Statut.PERSONNE_RECUE,
            STRUCTURE,
            stamps=CLOSING_STAMPS,
            guard=_appointment_time_reached,
        ),
        action(
            "personne_absente",
            "La personne ne s'est pas présentée",
            {Statut.RDV_FIXE},
            Statut.PERSONNE_ABSENTE,
            STRUCTURE,
            stamps=CLOSING_STAMPS,
            guard=_appointment_time_reached,
        ),
    ],
)
ACTIONS = WORKFLOW.actions
available = WORKFLOW.available
apply = WORKFLOW.apply
