"""The transition table is the only way to change a prescription's state."""

import pytest

from prescription import states
from prescription.models import CLOSED_STATUTS, Statut
from tests.factories import PrescriptionFactory, UserFactory

pytestmark = pytest.mark.django_db

S = states.STRUCTURE
P = states.PRESCRIPTEUR

ALLOWED = [
    (Statut.BROUILLON, "envoyer", P, Statut.ENVOYEE),
    (Statut.ENVOYEE, "etudier", S, Statut.A_L_ETUDE),
    (Statut.ENVOYEE, "accepter", S, Statut.ACCEPTEE),
    (Statut.A_L_ETUDE, "accepter", S, Statut.ACCEPTEE),
    (Statut.ENVOYEE, "refuser", S, Statut.REFUSEE),
    (Statut.A_L_ETUDE, "refuser", S, Statut.REFUSEE),
    (Statut.BROUILLON, "annuler", P, Statut.ANNULEE),
    (Statut.ENVOYEE, "annuler", P, Statut.ANNULEE),
    (Statut.A_L_ETUDE, "annuler", P, Statut.ANNULEE),
    (Statut.ENVOYEE, "expirer", states.SYSTEME, Statut.EXPIREE),
    (Statut.A_L_ETUDE, "expirer", states.SYSTEME, Statut.EXPIREE),
    (Statut.ACCEPTEE, "fixer_rdv", S, Statut.RDV_FIXE),
    (Statut.RDV_FIXE, "personne_recue", S, Statut.PERSONNE_RECUE),
    (Statut.RDV_FIXE, "personne_absente", S, Statut.PERSONNE_ABSENTE),
]


@pytest.mark.parametrize("source, action, actor, target", ALLOWED)
def test_allowed_transition_moves_and_is_logged(source, action, actor, target):
    prescription = PrescriptionFactory(statut=source)
    user = UserFactory()

    states.apply(prescription, action, actor=actor, user=user, message="ok")

    assert prescription.statut == target
    log = prescription.transitions.get()
    assert (log.de, log.vers, log.par, log.message) == (source, target, user, "ok")
    assert (prescription.cloturee_le is not None) == (target in CLOSED_STATUTS)


ALLOWED_PAIRS = {(source, action) for source, action, _, _ in ALLOWED}
FORBIDDEN = [
    (source, name)
    for source in Statut.values
    for name in states.ACTIONS
    if (source, name) not in ALLOWED_PAIRS
]


@pytest.mark.parametrize("source, action", FORBIDDEN)
def test_every_other_transition_is_refused_with_a_message(source, action):
    prescription = PrescriptionFactory(statut=source)
    actor = states.ACTIONS[action].actor

    with pytest.raises(states.TransitionRefusee, match="n'est plus possible"):
        states.apply(prescription, action, actor=actor)

    prescription.refresh_from_db()
    assert prescription.statut == source
    assert not prescription.transitions.exists()


def test_accepting_twice_from_two_tabs_fails_the_second_time():
    first_tab = PrescriptionFactory()
    second_tab = type(first_tab).objects.get(pk=first_tab.pk)  # loaded before the first answer

    states.apply(first_tab, "accepter", actor=S)
    with pytest.raises(states.TransitionRefusee, match="déjà « Acceptée »"):
        states.apply(second_tab, "accepter", actor=S)

    assert first_tab.transitions.count() == 1


def test_an_actor_cannot_take_another_actors_action():
    prescription = PrescriptionFactory()

    with pytest.raises(states.TransitionRefusee, match="ne pouvez pas"):
        states.apply(prescription, "accepter", actor=P)
    with pytest.raises(states.TransitionRefusee):
        states.apply(prescription, "annuler", actor=S)


def test_available_actions_follow_the_table():
    prescription = PrescriptionFactory(statut=Statut.ENVOYEE)

    assert {a.name for a in states.available(prescription, S)} == {"etudier", "accepter", "refuser"}
    assert {a.name for a in states.available(prescription, P)} == {"annuler"}
