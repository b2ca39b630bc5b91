"""Situations bloquées reach the commission SPIE; its decision reaches the parcours."""

from datetime import timedelta

from django.core import mail
from django.utils import timezone

import pytest

from fiche_relais.models import Commission, Decision, SituationBloquee

pytestmark = pytest.mark.django_db

PRESENTATION = {
    "motif": "absence-offre",
    "situation": "Mère isolée, deux enfants, sans permis.",
    "actions_menees": "Trois demandes de garde refusées.",
    "blocage": "Aucune place en crèche à moins de 20 km.",
    "demande": "Trouver une solution de garde pour reprendre l'emploi proposé.",
}


def flag(client, world, capture, who="referent_depart"):
    client.force_login(getattr(world, who))
    with capture(execute=True):
        return client.post(f"/parcours/personnes/{world.personne.pk}/situations/", PRESENTATION)


def test_the_referent_flags_and_the_coordination_is_told(
    client, world, django_capture_on_commit_callbacks
):
    response = flag(client, world, django_capture_on_commit_callbacks)

    situation = SituationBloquee.objects.get()
    assert response["Location"] == f"/parcours/situations/{situation.pk}/"
    assert [m.to for m in mail.outbox] == [[world.coordinateur.email]]
    client.force_login(world.coordinateur)
    listing = client.get("/parcours/coordination/").content.decode()
    assert "Inès Durand" in listing and "Absence d&#x27;offre" in listing


@pytest.mark.parametrize("role", ["coordinateur_var", "collegue_depart", "inconnu"])
def test_others_neither_flag_nor_read(client, world, role, django_capture_on_commit_callbacks):
    flag(client, world, django_capture_on_commit_callbacks)
    situation = SituationBloquee.objects.get()
    client.force_login(getattr(world, role))

    assert client.get(f"/parcours/situations/{situation.pk}/").status_code == 404
    response = client.post(f"/parcours/personnes/{world.personne.pk}/situations/", PRESENTATION)
    assert response.status_code == 404
    assert SituationBloquee.objects.count() == 1


def test_commission_decides_and_the_referents_see_it(
    client, world, django_capture_on_commit_callbacks
):
    flag(client, world, django_capture_on_commit_callbacks)
    situation = SituationBloquee.objects.get()
    coordinator = world.coordinateur
    client.force_login(coordinator)
    day = timezone.localdate()  # the commission meets today: its decision can be recorded
    client.post("/parcours/coordination/", {
        "coordination": coordinator.coordinations.get().pk, "date": day.isoformat(), "lieu": "Aubagne",
    })  # fmt: skip
    commission = Commission.objects.get()
    url = f"/parcours/situations/{situation.pk}/"

    client.post(url, {"commission": commission.pk})
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {
            "solutions": "Place en micro-crèche associative.", "qui_fait_quoi": "La CAF finance, le référent inscrit.",
            "echeance": (day + timedelta(days=30)).isoformat(), "offre_manquante": "Garde en horaires décalés.",
        })  # fmt: skip

    decision = Decision.objects.get()
    assert decision.situation.commission == commission and decision.saisie_par == coordinator
    assert [m.to for m in mail.outbox] == [
        [world.referent_depart.email]
    ]  # current référent, who flagged it
    client.force_login(world.referent_depart)
    parcours = client.get(f"/parcours/personnes/{world.personne.pk}/").content.decode()
    assert "Place en micro-crèche associative." in parcours


def test_no_decision_before_the_situation_is_on_an_agenda(
    client, world, django_capture_on_commit_callbacks
):
    flag(client, world, django_capture_on_commit_callbacks)
    situation = SituationBloquee.objects.get()
    client.force_login(world.coordinateur)

    client.post(f"/parcours/situations/{situation.pk}/", {
        "solutions": "x", "qui_fait_quoi": "y", "echeance": "2027-01-01",
    })  # fmt: skip

    assert not Decision.objects.exists()
