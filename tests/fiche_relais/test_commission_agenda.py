"""The commission SPIE's agenda: its page, the printable ordre du jour, participants invited by
e-mail with the day as an .ics event, and the référents told when a situation is on it."""

from datetime import date, timedelta

from django.core import mail
from django.utils import timezone

import icalendar
import pytest

from fiche_relais import commission as agenda
from fiche_relais.models import Participant
from tests.fiche_relais.factories import CommissionFactory, SituationFactory
from tests.utils.pdf import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def commission(world):
    return CommissionFactory(
        coordination=world.coordinateur.coordinations.get(),
        date=timezone.localdate() + timedelta(days=10), lieu="Aubagne, salle du conseil",
    )  # fmt: skip


def flag(world, **traits):
    """Inès's situation bloquée, flagged by her référent (`traits`: SituationFactory's)."""
    return SituationFactory(
        personne=world.personne, motif="duree", situation="Deux enfants, sans garde.",
        actions_menees="Trois demandes.", blocage="Aucune place.", demande="Une place en crèche.",
        signalee_par=world.referent_depart, **traits,
    )  # fmt: skip


def test_the_referents_are_told_when_the_situation_is_on_the_agenda(
    client, world, commission, django_capture_on_commit_callbacks
):
    situation = flag(world)
    client.force_login(world.coordinateur)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/parcours/situations/{situation.pk}/", {"commission": commission.pk})

    assert [m.to for m in mail.outbox] == [[world.referent_depart.email]]
    body = mail.outbox[0].body
    assert "Inès Durand" in body and "inscrite à l'ordre du jour" in body
    assert f"{commission.date.day} " in body and "Aubagne, salle du conseil" in body


def test_the_agenda_page_and_invitations_with_an_ics(
    client, world, commission, django_capture_on_commit_callbacks
):
    flag(world, inscrite=True, commission=commission)
    client.force_login(world.coordinateur)
    page = client.get(f"/parcours/commissions/{commission.pk}/").content.decode()
    assert "Inès Durand" in page and "Une place en crèche." in page
    proposed = page[page.index('name="courriels"') : page.index("</textarea>")]
    assert world.referent_depart.email in proposed  # her référent, who also flagged it

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/parcours/commissions/{commission.pk}/", {
            "courriels": "caf@example.org, Mission@Example.org\nmission@example.org",
        })  # fmt: skip
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == ["caf@example.org", "mission@example.org"]
    message = mail.outbox[0]
    assert "Inès" not in message.body  # no person named (the users are « Camille Durand<n> »)
    assert "1 situation : Durée du parcours" in message.body
    ((name, content, mimetype),) = message.attachments
    assert name == "commission-spie.ics" and mimetype.startswith("text/calendar")
    assert "Inès" not in content
    assert all(len(line.encode()) <= 75 for line in content.split("\r\n"))
    event = icalendar.Calendar.from_ical(content).walk("VEVENT")[0]
    assert event.decoded("DTSTART") == commission.date
    assert event.decoded("DTEND") == commission.date + timedelta(days=1)
    assert str(event["LOCATION"]) == "Aubagne, salle du conseil"
    assert str(event["SUMMARY"]).startswith("Commission SPIE — ")
    assert str(event["UID"]) == f"commission-{commission.pk}@testserver"

    client.post(f"/parcours/commissions/{commission.pk}/", {"courriels": "caf@example.org"})
    assert Participant.objects.count() == 2
    assert agenda.suggested(commission) == [world.referent_depart.email]
    client.post(
        f"/parcours/commissions/{commission.pk}/", {"courriels": world.referent_depart.email}
    )
    assert agenda.suggested(commission) == []
    refused = client.post(f"/parcours/commissions/{commission.pk}/", {"courriels": "caf@, x"})
    assert refused.status_code == 200 and "Adresse invalide" in refused.content.decode()


def test_the_printable_ordre_du_jour(client, world, commission):
    flag(world, inscrite=True, commission=commission)
    Participant.objects.create(commission=commission, courriel="caf@example.org",
                               invite_par=world.coordinateur)  # fmt: skip
    client.force_login(world.coordinateur)

    response = client.get(f"/parcours/commissions/{commission.pk}/ordre-du-jour.pdf")

    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "1. In\xe8s D. (Aubagne)" in text and "Une place en cr\xe8che." in text
    assert "caf@example.org" in text and "In\xe8s Durand" not in text


@pytest.mark.parametrize("who", ["coordinateur_var", "referent_depart", "inconnu"])
def test_only_the_commissions_coordination_reads_its_agenda(client, world, commission, who):
    client.force_login(getattr(world, who))
    assert client.get(f"/parcours/commissions/{commission.pk}/").status_code == 404
    assert client.get(f"/parcours/commissions/{commission.pk}/ordre-du-jour.pdf").status_code == 404


def test_an_ics_text_is_escaped_and_folded(world, commission):
    commission.lieu = "Maison France services; salle 2, étage \\ B\n" + "é" * 80
    content = agenda.ics(commission, now=timezone.now())

    assert all(len(line.encode()) <= 75 for line in content.split("\r\n"))
    event = icalendar.Calendar.from_ical(content).walk("VEVENT")[0]
    assert str(event["LOCATION"]) == commission.lieu
    assert event.decoded("DTSTART") == commission.date and isinstance(commission.date, date)
