"""The one engine, for its three workflows: every (state × action) pair, the log's real
from-state, the guards, the fields an action may write, and two connections acting at once on
PostgreSQL."""

import threading
from datetime import timedelta

from django.db import connection
from django.utils import timezone

import pytest

from config.workflow import TransitionRefusee, Via
from fiche_relais import states as fiche_states
from prescription import states as prescription_states
from tests.browser.conftest import keep_territoires
from tests.conftest import IN_CI
from tests.factories import PrescriptionFactory, UserFactory
from tests.fiche_relais.factories import CommissionFactory, FicheRelaisFactory, SituationFactory


def prescription_case(action):
    """A prescription whose appointment time came (the guards of « reçue / absente » pass)."""
    return PrescriptionFactory(rdv_passe=True), UserFactory(), {}


def fiche_case(action):
    """A fiche whose fields let the action's guard pass: nobody designated for « designer »,
    the taker is its destinataire for « prendre_le_relais »."""
    fiche = FicheRelaisFactory(envoyee=True)
    if action.name == "designer":
        fiche.destinataire = None
        fiche.save()
        return fiche, UserFactory(), {"destinataire": fiche.auteur}
    if action.name == "prendre_le_relais":
        return fiche, fiche.destinataire, {"prise_en_charge_par": fiche.destinataire}
    return fiche, fiche.auteur, {}


def situation_case(action):
    """On the agenda of a commission meeting today."""
    situation = SituationFactory(inscrite=True)
    changes = {"commission": CommissionFactory()} if action.name == "inscrire" else {}
    return situation, UserFactory(), changes


WORKFLOWS = {
    "prescription": (prescription_states.WORKFLOW, prescription_case),
    "fiche_relais": (fiche_states.FICHE_RELAIS, fiche_case),
    "situation": (fiche_states.SITUATION, situation_case),
}
PAIRS = [
    (name, state, action_name)
    for name, (workflow, _) in WORKFLOWS.items()
    for state in workflow.labels
    for action_name in workflow.actions
]


@pytest.mark.django_db
@pytest.mark.parametrize("name, state, action_name", PAIRS)
def test_every_state_and_action(name, state, action_name):
    workflow, case = WORKFLOWS[name]
    action = workflow.actions[action_name]
    obj, user, changes = case(action)
    type(obj).objects.filter(pk=obj.pk).update(statut=state)

    if state in action.sources:
        workflow.apply(obj, action_name, actor=action.actor, user=user, message="ok", **changes)
        assert obj.statut == action.target
        log = obj.transitions.get()
        assert (log.from_state, log.to_state, log.user, log.via, log.message) == (
            state, action.target, user, Via.COMPTE, "ok",
        )  # fmt: skip
        assert all(getattr(obj, stamp) is not None for stamp in action.stamps)
        assert all(getattr(obj, field) == value for field, value in changes.items())
    else:
        with pytest.raises(TransitionRefusee, match="n'est plus possible"):
            workflow.apply(obj, action_name, actor=action.actor, user=user, **changes)
        obj.refresh_from_db()
        assert obj.statut == state
        assert not obj.transitions.exists()


@pytest.mark.django_db
def test_the_log_records_the_state_read_under_lock_not_the_one_in_memory():
    """Tab 1 puts it under study, tab 2 (loaded before) accepts: the log says « à l'étude →
    acceptée », the state the row really had."""
    tab_1 = PrescriptionFactory()
    tab_2 = type(tab_1).objects.get(pk=tab_1.pk)
    S = prescription_states.STRUCTURE

    prescription_states.apply(tab_1, "etudier", actor=S)
    prescription_states.apply(tab_2, "accepter", actor=S)

    logged = list(tab_2.transitions.values_list("from_state", "to_state"))
    assert logged == [("envoyee", "a-l-etude"), ("a-l-etude", "acceptee")]


@pytest.mark.django_db
def test_a_stamp_is_set_once():
    prescription = PrescriptionFactory(a_l_etude=True)
    first_answer = prescription.premiere_reponse_le

    prescription_states.apply(prescription, "accepter", actor=prescription_states.STRUCTURE)

    assert prescription.premiere_reponse_le == first_answer


@pytest.mark.django_db
def test_an_actor_cannot_take_another_actors_action_nor_write_other_fields():
    prescription = PrescriptionFactory()
    with pytest.raises(TransitionRefusee, match="ne pouvez pas"):
        prescription_states.apply(prescription, "accepter", actor=prescription_states.PRESCRIPTEUR)
    with pytest.raises(ValueError, match="n'écrit pas"):
        prescription_states.apply(
            prescription, "accepter", actor=prescription_states.STRUCTURE, nom="Autre"
        )
    prescription.refresh_from_db()
    assert prescription.statut == "envoyee" and not prescription.transitions.exists()


@pytest.mark.django_db
def test_the_log_is_append_only():
    prescription = prescription_states.apply(
        PrescriptionFactory(), "accepter", actor=prescription_states.STRUCTURE
    )
    log = prescription.transitions.get()
    log.message = "réécrit"
    with pytest.raises(ValueError, match="ne se modifie pas"):
        log.save()


@pytest.mark.django_db
def test_received_or_absent_only_from_the_appointment_time():
    prescription = PrescriptionFactory(rdv_fixe=True)  # in three days
    S = prescription_states.STRUCTURE
    for action in ("personne_recue", "personne_absente"):
        with pytest.raises(TransitionRefusee, match="pas encore eu lieu"):
            prescription_states.apply(prescription, action, actor=S)

    type(prescription).objects.filter(pk=prescription.pk).update(
        rdv_le=timezone.now() - timedelta(minutes=1)
    )
    prescription_states.apply(prescription, "personne_absente", actor=S)
    assert prescription.statut == "personne-absente"


@pytest.mark.django_db
def test_a_decision_only_from_the_commission_date():
    situation = SituationFactory(
        inscrite=True, commission__date=timezone.localdate() + timedelta(days=1)
    )
    with pytest.raises(TransitionRefusee, match="à partir de ce jour"):
        fiche_states.SITUATION.apply(situation, "decider", actor=fiche_states.COORDINATION)
    assert not situation.transitions.exists()


@pytest.mark.django_db
def test_designating_twice_and_taking_over_for_someone_else_are_refused():
    fiche = FicheRelaisFactory(envoyee=True)
    with pytest.raises(TransitionRefusee, match="déjà désigné"):
        fiche_states.FICHE_RELAIS.apply(
            fiche, "designer", actor=fiche_states.ADMIN_DESTINATAIRE, destinataire=fiche.auteur
        )
    with pytest.raises(TransitionRefusee, match="Seul le référent destinataire"):
        fiche_states.FICHE_RELAIS.apply(
            fiche, "prendre_le_relais", actor=fiche_states.DESTINATAIRE, user=fiche.auteur
        )


# Two connections at once (PostgreSQL) ----------------------------------------------------------


def _on_postgresql():
    if connection.vendor != "postgresql":
        message = "DATABASE_URL n'est pas PostgreSQL : verrous non testés"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(f"TEST DE CONCURRENCE IGNORÉ — {message}.")


def at_once(*calls):
    """Runs each call in its own thread (its own database connection), released together;
    returns what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        barrier.wait()
        try:
            outcomes[index] = call()
        except Exception as error:  # noqa: BLE001 — the outcome under test
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return outcomes


@pytest.mark.django_db(transaction=True, available_apps=keep_territoires())
def test_two_connections_accepting_and_refusing_at_once_one_wins():
    _on_postgresql()
    prescription = PrescriptionFactory()
    S = prescription_states.STRUCTURE

    outcomes = at_once(
        lambda: prescription_states.apply(prescription, "accepter", actor=S),
        lambda: prescription_states.apply(
            type(prescription).objects.get(pk=prescription.pk), "refuser", actor=S,
            motif_refus="plus-de-places",
        ),
    )  # fmt: skip

    refused = [o for o in outcomes if isinstance(o, TransitionRefusee)]
    assert len(refused) == 1, outcomes
    prescription.refresh_from_db()
    log = prescription.transitions.get()
    assert (log.from_state, log.to_state) == ("envoyee", prescription.statut)


@pytest.mark.django_db(transaction=True, available_apps=keep_territoires())
def test_two_connections_taking_over_at_once_open_one_etape():
    from fiche_relais import services
    from fiche_relais.models import Etape, FicheRelais

    _on_postgresql()
    fiche = FicheRelaisFactory(envoyee=True)
    taker = fiche.destinataire

    def take_over():
        copy = FicheRelais.objects.get(pk=fiche.pk)
        return services.prendre_le_relais(copy, taker, dispositif="CEJ", contrat="cej")

    outcomes = at_once(take_over, take_over)

    assert sum(isinstance(o, Etape) for o in outcomes) == 1, outcomes
    assert Etape.objects.filter(personne=fiche.personne, referent=taker).count() == 1
    assert Etape.objects.filter(personne=fiche.personne, fin=None).count() == 1
    assert fiche.transitions.count() == 1
