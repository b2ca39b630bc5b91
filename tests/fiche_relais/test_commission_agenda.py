"""The commission SPIE's agenda: its page, the printable ordre du jour, participants invited by
e-mail with the day as an .ics event, and the référents told when a situation is on it."""

import re
import zlib
from datetime import date, timedelta

from django.core import mail
from django.utils import timezone

import icalendar
import pytest

from fiche_relais import commission as agenda
from fiche_relais.models import Commission, Participant, SituationBloquee

pytestmark = pytest.mark.django_db


@pytest.fixture
def commission(world):
    meeting = Commission.objects.create(
        coordination=world["coordination"].coordinations.get(),
        date=timezone.localdate() + timedelta(days=10), lieu="Aubagne, salle du conseil",
    )  # fmt: skip
    SituationBloquee.objects.create(
        personne=world["personne"], motif="duree", situation="Deux enfants, sans garde.",
        actions_menees="Trois demandes.", blocage="Aucune place.", demande="Une place en crèche.",
        signalee_par=world["a"],
    )  # fmt: skip
    return meeting


def test_the_referents_are_told_when_the_situation_is_on_the_agenda(
    client, world, commission, django_capture_on_commit_callbacks
):
    situation = SituationBloquee.objects.get()
    client.force_login(world["coordination"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/parcours/situations/{situation.pk}/", {"commission": commission.pk})

    assert [m.to for m in mail.outbox] == [[world["a"].email]]
    body = mail.outbox[0].body
    assert "Inès Durand" in body and "inscrite à l'ordre du jour" in body
    assert f"{commission.date.day} " in body and "Aubagne, salle du conseil" in body


def test_the_agenda_page_and_invitations_with_an_ics(
    client, world, commission, django_capture_on_commit_callbacks
):
    SituationBloquee.objects.update(commission=commission)
    client.force_login(world["coordination"])
    page = client.get(f"/parcours/commissions/{commission.pk}/").content.decode()
    assert "Inès Durand" in page and "Une place en crèche." in page
    proposed = page[page.index('name="courriels"') : page.index("</textarea>")]
    assert world["a"].email in proposed  # her référent, who also flagged it

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
    assert agenda.suggested(commission) == [world["a"].email]
    client.post(f"/parcours/commissions/{commission.pk}/", {"courriels": world["a"].email})
    assert agenda.suggested(commission) == []
    refused = client.post(f"/parcours/commissions/{commission.pk}/", {"courriels": "caf@, x"})
    assert refused.status_code == 200 and "Adresse invalide" in refused.content.decode()


def pdf_text(data):
    """The text drawn in an fpdf2 document (its page streams are deflated)."""
    streams = re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.DOTALL)
    text = b"".join(zlib.decompress(s) for s in streams).decode("latin-1")
    return text.replace("\\(", "(").replace("\\)", ")")


def test_the_printable_ordre_du_jour(client, world, commission):
    SituationBloquee.objects.update(commission=commission)
    Participant.objects.create(commission=commission, courriel="caf@example.org",
                               invite_par=world["coordination"])  # fmt: skip
    client.force_login(world["coordination"])

    response = client.get(f"/parcours/commissions/{commission.pk}/ordre-du-jour.pdf")

    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "1. In\xe8s D. (Aubagne)" in text and "Une place en cr\xe8che." in text
    assert "caf@example.org" in text and "In\xe8s Durand" not in text


@pytest.mark.parametrize("who", ["coordination_var", "a", "inconnu"])
def test_only_the_commissions_coordination_reads_its_agenda(client, world, commission, who):
    client.force_login(world[who])
    assert client.get(f"/parcours/commissions/{commission.pk}/").status_code == 404
    assert client.get(f"/parcours/commissions/{commission.pk}/ordre-du-jour.pdf").status_code == 404


def test_an_ics_text_is_escaped_and_folded(world, commission):
    commission.lieu = "Maison France services; salle 2, étage \\ B\n" + "é" * 80
    content = agenda.ics(commission, now=timezone.now())

    assert all(len(line.encode()) <= 75 for line in content.split("\r\n"))
    event = icalendar.Calendar.from_ical(content).walk("VEVENT")[0]
    assert str(event["LOCATION"]) == commission.lieu
    assert event.decoded("DTSTART") == commission.date and isinstance(commission.date, date)
