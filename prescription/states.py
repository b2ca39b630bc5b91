"""The one place where a prescription changes state: a declared table of transitions.

Each transition names the states it leaves from, the state it leads to and who may make it.
`apply()` changes the state with a conditional UPDATE, so that two tabs accepting the same
prescription cannot both succeed, and appends the change to the log.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from prescription.models import CLOSED_STATUTS, Prescription, Statut, Transition

PRESCRIPTEUR = "prescripteur"
STRUCTURE = "structure"
SYSTEME = "systeme"


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    sources: tuple[str, ...]
    target: str
    actor: str


ACTIONS = {
    action.name: action
    for action in [
        Action("envoyer", "Envoyer", (Statut.BROUILLON,), Statut.ENVOYEE, PRESCRIPTEUR),
        Action("etudier", "Mettre à l'étude", (Statut.ENVOYEE,), Statut.A_L_ETUDE, STRUCTURE),
        Action(
            "accepter", "Accepter", (Statut.ENVOYEE, Statut.A_L_ETUDE), Statut.ACCEPTEE, STRUCTURE
        ),
        Action("refuser", "Refuser", (Statut.ENVOYEE, Statut.A_L_ETUDE), Statut.REFUSEE, STRUCTURE),
        Action(
            "annuler",
            "Annuler la prescription",
            (Statut.BROUILLON, Statut.ENVOYEE, Statut.A_L_ETUDE),
            Statut.ANNULEE,
            PRESCRIPTEUR,
        ),  # fmt: skip
        Action("expirer", "Expirer", (Statut.ENVOYEE, Statut.A_L_ETUDE), Statut.EXPIREE, SYSTEME),
        Action("fixer_rdv", "Fixer le rendez-vous", (Statut.ACCEPTEE,), Statut.RDV_FIXE, STRUCTURE),
        Action(
            "personne_recue",
            "La personne a été reçue",
            (Statut.RDV_FIXE,),
            Statut.PERSONNE_RECUE,
            STRUCTURE,
        ),  # fmt: skip
        Action(
            "personne_absente",
            "La personne ne s'est pas présentée",
            (Statut.RDV_FIXE,),
            Statut.PERSONNE_ABSENTE,
            STRUCTURE,
        ),  # fmt: skip
    ]
}


class TransitionRefusee(Exception):
    """The transition is not possible from the current state (or by this actor)."""


def available(prescription, actor):
    """The actions this actor may take now."""
    return [
        action
        for action in ACTIONS.values()
        if action.actor == actor and prescription.statut in action.sources
    ]


def apply(prescription, action_name, *, actor, user=None, via="compte", message="", **changes):
    """Moves the prescription through `action_name`, saving `changes` with it; raises
    TransitionRefusee with a message for the user when the move is not (or no longer) possible."""
    action = ACTIONS[action_name]
    if action.actor != actor:
        raise TransitionRefusee("Vous ne pouvez pas faire cette action sur cette prescription.")
    now = timezone.now()
    changes["statut"] = action.target
    if action.target == Statut.ENVOYEE:
        changes["envoyee_le"] = now
    if actor == STRUCTURE and prescription.premiere_reponse_le is None:
        changes["premiere_reponse_le"] = now
    if action.target in CLOSED_STATUTS:
        changes["cloturee_le"] = now
    with transaction.atomic():
        updated = Prescription.objects.filter(pk=prescription.pk, statut__in=action.sources).update(
            **changes
        )
        if not updated:
            prescription.refresh_from_db()
            raise TransitionRefusee(
                f"Cette prescription est déjà « {prescription.get_statut_display()} » : "
                f"l'action « {action.label} » n'est plus possible."
            )
        Transition.objects.create(
            prescription=prescription, de=prescription.statut, vers=action.target,
            par=user, via=via, message=message, le=now,
        )  # fmt: skip
    prescription.refresh_from_db()
    return prescription
