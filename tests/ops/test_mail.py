"""E-mails leave from the worker, through a real SMTP server, with retries: a business action
never fails, nor is recorded as sent, because the mail server does."""

import datetime
import logging

from django.db import transaction

import pytest
import time_machine
from django_tasks_db.models import DBTaskResult

from actualisation import services as actualisation
from actualisation.models import Rappel
from catalogue.models import DemandeAdhesion, Membre
from config import mail
from config.env import mailer_from_env
from tests.factories import MembreFactory, ServiceFactory, StructureFactory, UserFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def admin():
    structure = StructureFactory(nom="Mission locale du Vieux-Port")
    return MembreFactory(structure=structure, role=Membre.Role.ADMIN,
                         user__email="referente@mission-locale.fr").user  # fmt: skip


def _ask_to_join(client, admin, mails):
    client.force_login(UserFactory(email="nouveau@mission-locale.fr"))
    structure = admin.memberships.get().structure
    with mails(execute=True):
        return client.post(f"/comptes/rejoindre/{structure.pk}/", {"message": "Bonjour"})


def _send_one():
    demande = {"structure": "Mission locale"}
    mail.send("catalogue/emails/demande_decidee.txt", "x@example.org", "Sujet",
              demande=demande, accepted=True, url="http://testserver/comptes/")  # fmt: skip


def _statuses():
    return sorted(DBTaskResult.objects.values_list("status", flat=True))


def test_a_request_to_join_is_mailed_by_the_worker_through_smtp(
    client, admin, mails, worker, smtp_server
):
    response = _ask_to_join(client, admin, mails)

    assert response.status_code == 302 and DemandeAdhesion.objects.count() == 1
    assert smtp_server.received == []  # queued, not sent by the request
    assert _statuses() == ["READY"]
    worker()
    [message] = smtp_server.received
    assert message["To"] == "referente@mission-locale.fr"
    assert "demande à rejoindre Mission locale du Vieux-Port" in message["Subject"]
    assert "Bonjour" in message.get_body(("plain",)).get_content()
    assert message.get_body(("html",)) is not None
    assert _statuses() == ["SUCCESSFUL"]


def test_nothing_is_queued_when_the_transaction_rolls_back(admin, mails, worker, smtp_server):
    with mails(execute=True) as callbacks, pytest.raises(RuntimeError), transaction.atomic():
        _send_one()
        raise RuntimeError("la transaction échoue")
    worker()
    assert callbacks == []
    assert DBTaskResult.objects.count() == 0 and smtp_server.received == []


def test_a_refusing_server_is_retried_later_and_the_message_leaves(
    client, admin, mails, worker, smtp_server, caplog
):
    smtp_server.refuse_next(2)
    with time_machine.travel(NOW, tick=False):
        response = _ask_to_join(client, admin, mails)
        worker()
    assert response.status_code == 302 and DemandeAdhesion.objects.count() == 1
    assert smtp_server.received == [] and smtp_server.handler.refused == 1
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.run_after == NOW + datetime.timedelta(seconds=mail.RETRY_DELAYS[0])
    assert retry.args_kwargs["kwargs"]["attempt"] == 2

    with time_machine.travel(NOW + datetime.timedelta(seconds=30), tick=False):
        worker()  # not due yet
    assert smtp_server.handler.refused == 1

    later = NOW + datetime.timedelta(seconds=sum(mail.RETRY_DELAYS[:2]))
    with time_machine.travel(later, tick=False), caplog.at_level(logging.WARNING):
        worker()  # second refusal, third attempt planned
        assert smtp_server.handler.refused == 2
        worker()  # (not due)
    with time_machine.travel(later + datetime.timedelta(seconds=mail.RETRY_DELAYS[1])):
        worker()
    [message] = smtp_server.received
    assert message["To"] == "referente@mission-locale.fr"
    assert _statuses() == ["FAILED", "FAILED", "SUCCESSFUL"]
    assert "essai 3" in caplog.text


def test_a_server_down_leaves_the_request_saved_and_the_message_waiting(
    client, admin, mails, worker, smtp_server
):
    smtp_server.stop()  # connection refused
    with time_machine.travel(NOW, tick=False):
        response = _ask_to_join(client, admin, mails)
        worker()
    assert response.status_code == 302 and DemandeAdhesion.objects.count() == 1
    assert _statuses() == ["FAILED", "READY"]
    assert "ConnectionRefusedError" in DBTaskResult.objects.get(status="FAILED").traceback
    smtp_server.start()
    with time_machine.travel(NOW + datetime.timedelta(minutes=2), tick=False):
        worker()
    assert len(smtp_server.received) == 1


def test_the_message_is_given_up_after_the_last_attempt(mails, worker, smtp_server, caplog):
    smtp_server.refuse_next(len(mail.RETRY_DELAYS) + 1)
    with mails(execute=True):
        _send_one()
    moment = NOW
    with caplog.at_level(logging.WARNING):
        for delay in (0, *mail.RETRY_DELAYS):
            moment += datetime.timedelta(seconds=delay)
            with time_machine.travel(moment, tick=False):
                worker()
    assert smtp_server.received == []
    assert _statuses() == ["FAILED"] * (len(mail.RETRY_DELAYS) + 1)
    assert "abandonné après 6 essais" in caplog.text


def test_the_digest_is_recorded_as_sent_only_once_it_left(worker, smtp_server, mails):
    structure = MembreFactory(role=Membre.Role.ADMIN, user__email="admin@asso.fr").structure
    service = ServiceFactory(structure=structure, nom="Permis B")
    service.date_maj = (NOW - datetime.timedelta(days=200)).date()
    service.save()
    smtp_server.refuse_next(1)

    with time_machine.travel(NOW, tick=False):
        with mails(execute=True):
            assert actualisation.send_digests() == 1
        with mails(execute=True):
            assert actualisation.send_digests() == 0  # claimed: not twice
        worker()
    rappel = Rappel.objects.get()
    assert rappel.envoye_le is None and smtp_server.received == []

    later = NOW + datetime.timedelta(seconds=mail.RETRY_DELAYS[0])
    with time_machine.travel(later, tick=False):
        worker()
    rappel.refresh_from_db()
    assert rappel.envoye_le == later
    [message] = smtp_server.received
    assert (
        message["To"] == "admin@asso.fr"
        and "Permis B" in message.get_body(("plain",)).get_content()
    )


def test_a_digest_the_worker_gave_up_is_asked_for_again_the_next_day(worker, smtp_server, mails):
    structure = MembreFactory(role=Membre.Role.ADMIN).structure
    service = ServiceFactory(structure=structure)
    service.date_maj = (NOW - datetime.timedelta(days=200)).date()
    service.save()
    Rappel.objects.create(structure=structure, mois=NOW.date().replace(day=1), services=1,
                          demande_le=NOW - datetime.timedelta(days=2))  # fmt: skip

    with time_machine.travel(NOW, tick=False), mails(execute=True):
        assert actualisation.send_digests() == 0  # already claimed this month…
    with time_machine.travel(NOW, tick=False):
        worker()
    assert len(smtp_server.received) == 1  # …but never sent: sent now
    assert Rappel.objects.get().envoye_le == NOW


def test_the_mailer_configured_by_email_url_reaches_the_server(
    worker, smtp_server, mails, settings, monkeypatch
):
    monkeypatch.setenv("EMAIL_URL", smtp_server.url)
    settings.MAILERS = {"default": mailer_from_env()}
    with mails(execute=True):
        _send_one()
    worker()
    assert [m["To"] for m in smtp_server.received] == ["x@example.org"]


def test_an_attachment_travels_with_the_message(worker, smtp_server):
    message = mail.render("catalogue/emails/demande_decidee.txt", "x@example.org", "Sujet",
                          demande={"structure": "S"}, accepted=True, url="u")  # fmt: skip
    message.attach("rdv.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")
    mail.deliver.enqueue(mail.payload(message))
    worker()
    [received] = smtp_server.received
    [attachment] = list(received.iter_attachments())
    assert attachment.get_filename() == "rdv.ics"
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_content() == "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
