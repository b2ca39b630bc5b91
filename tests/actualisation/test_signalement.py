"""« Signaler une erreur » (issue 20, item 5): anyone reports an error on a public service page,
limited per client address; it opens a quality task for the structure and its coordination;
the reporter, if they left an address, is told once it is corrected, and the address is erased
when the task closes."""

import datetime

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from wagtail.models import ModelLogEntry

import pytest

from actualisation import services
from actualisation.models import TacheQualite
from catalogue.models import Membre, Service
from tests.catalogue.test_admin import SERVICES, _service_form
from tests.factories import CoordinationFactory, MembreFactory, ServiceFactory, UserFactory

pytestmark = pytest.mark.django_db

REPORTER = "lea.reporter@example.org"
DETAILS = "Le numéro de téléphone ne répond plus depuis un mois."


@pytest.fixture
def admin():
    return MembreFactory(role=Membre.Role.ADMIN, user__email="admin@tremplin.example.org")


@pytest.fixture
def service(admin):
    return ServiceFactory(structure=admin.structure, nom="Garage solidaire", code_insee="13005",
                          code_postal="13400")  # fmt: skip


def _report(client, mails, service, email=REPORTER, details=DETAILS, **extra):
    with mails(execute=True):
        return client.post(
            f"/services/{service.pk}/signaler/", {"details": details, "courriel": email}, **extra
        )


def test_a_visitor_reports_an_error_and_a_task_opens_for_the_structure_and_coordination(
    client, service, admin, mails
):
    coordinator = UserFactory()
    CoordinationFactory(membres=[coordinator])
    page = client.get(service.get_absolute_url()).content.decode()
    assert f'href="/services/{service.pk}/signaler/"' in page
    assert "Signaler une erreur" in client.get(f"/services/{service.pk}/signaler/").content.decode()

    response = _report(client, mails, service)

    assert response.status_code == 302 and response["Location"] == service.get_absolute_url()
    assert REPORTER not in response["Location"]
    task = TacheQualite.objects.get()
    assert (task.service, task.motif, task.details) == (service, "signalement", DETAILS)
    assert task.courriel_signalement == REPORTER and task.fermee_le is None
    [message] = mail.outbox
    assert message.to == [admin.user.email]
    assert DETAILS in message.body and "Garage solidaire" in message.subject
    assert REPORTER not in message.body + message.subject  # never given to the structure
    assert "Merci, votre signalement" in client.get(response["Location"]).content.decode()
    client.force_login(coordinator)
    assert DETAILS in client.get("/actualisation/coordination/").content.decode()
    client.force_login(admin.user)
    assert DETAILS in client.get("/admin/").content.decode()


def test_the_form_refuses_an_empty_report_and_a_bad_address(client, service, mails):
    assert "Assurez-vous" in _report(client, mails, service, details="Faux").content.decode()
    bad = _report(client, mails, service, email="pas-une-adresse").content.decode()
    assert "adresse de courriel valide" in bad
    assert not TacheQualite.objects.exists() and mail.outbox == []


def test_a_hidden_service_cannot_be_reported(client, mails):
    draft = ServiceFactory(statut=Service.Statut.BROUILLON)
    assert client.get(f"/services/{draft.pk}/signaler/").status_code == 404
    assert _report(client, mails, draft).status_code == 404
    assert not TacheQualite.objects.exists()


def test_reports_are_limited_per_client_address(client, service, mails, settings):
    settings.ERROR_REPORT_RATE_LIMIT = 2
    for _ in range(2):
        assert _report(client, mails, service).status_code == 302

    refused = _report(client, mails, service)

    assert refused.status_code == 429
    assert "déjà envoyé 2 signalements dans l&#x27;heure" in refused.content.decode()
    assert "no-store" in refused["Cache-Control"]
    assert TacheQualite.objects.count() == 2
    other_address = _report(client, mails, service, REMOTE_ADDR="192.0.2.77")
    assert other_address.status_code == 302 and TacheQualite.objects.count() == 3


def test_closed_as_corrected_the_reporter_is_told_and_the_address_erased(
    client, service, admin, mails
):
    _report(client, mails, service)
    task = TacheQualite.objects.get()
    client.force_login(admin.user)
    mail.outbox.clear()

    with mails(execute=True):
        response = client.post(f"/actualisation/taches/{task.pk}/cloturer/", {"issue": "corrige"})

    assert response["Location"] == "/admin/"
    task.refresh_from_db()
    assert task.fermee_le and task.corrigee is True and task.fermee_par == admin.user
    assert task.courriel_signalement == ""
    [message] = mail.outbox
    assert message.to == [REPORTER]
    assert "est corrigée" in message.subject and REPORTER not in message.subject
    assert f"http://testserver/services/{service.pk}/" in message.body
    again = client.post(f"/actualisation/taches/{task.pk}/cloturer/", {"issue": "corrige"})
    assert "déjà clos" in client.get(again["Location"]).content.decode()
    assert len(mail.outbox) == 1
    actions = [e.action for e in ModelLogEntry.objects.for_instance(service)]
    assert actions == ["actualisation.tache_close", "actualisation.signalement"]


def test_nothing_to_correct_tells_nobody_but_erases_the_address(client, service, admin, mails):
    _report(client, mails, service)
    task = TacheQualite.objects.get()
    client.force_login(admin.user)
    mail.outbox.clear()

    with mails(execute=True):
        client.post(f"/actualisation/taches/{task.pk}/cloturer/", {"issue": "rien"})

    task.refresh_from_db()
    assert task.corrigee is False and task.courriel_signalement == "" and mail.outbox == []


def test_editing_the_service_closes_it_as_corrected_confirming_it_does_not(
    client, service, admin, mails
):
    _report(client, mails, service)
    _report(client, mails, service, email="")
    mail.outbox.clear()
    with mails(execute=True):
        services.confirm(service, admin.user)
    assert mail.outbox == []
    assert not TacheQualite.objects.filter(corrigee=True).exists()
    assert TacheQualite.objects.filter(courriel_signalement="").count() == 2

    _report(client, mails, service)
    mail.outbox.clear()
    client.force_login(admin.user)
    with mails(execute=True):
        response = client.post(
            f"{SERVICES}edit/{service.pk}/", _service_form(service, telephone="0491999999")
        )
    assert response.status_code == 302, response.context["form"].errors
    assert [m.to for m in mail.outbox] == [[REPORTER]]
    assert not TacheQualite.objects.filter(fermee_le=None).exists()


def test_nobody_else_closes_a_task(client, service, mails):
    _report(client, mails, service)
    task = TacheQualite.objects.get()
    for intruder in (MembreFactory(role=Membre.Role.ADMIN).user, UserFactory()):
        client.force_login(intruder)
        response = client.post(f"/actualisation/taches/{task.pk}/cloturer/", {"issue": "corrige"})
        assert response.status_code == 404
    client.logout()
    assert client.post(f"/actualisation/taches/{task.pk}/cloturer/").status_code == 302

    task.refresh_from_db()
    assert task.fermee_le is None and task.courriel_signalement == REPORTER


def test_a_structure_without_admin_hears_it_at_its_public_address(client, mails):
    orphan = ServiceFactory(structure__courriel="accueil@centre.example.org")

    _report(client, mails, orphan)

    [message] = mail.outbox
    assert message.to == ["accueil@centre.example.org"]
    assert f"/comptes/rejoindre/{orphan.structure_id}/" in message.body


def test_an_address_left_on_a_task_never_closed_is_erased_after_six_months(client, service, mails):
    _report(client, mails, service)
    TacheQualite.objects.update(ouverte_le=timezone.now() - datetime.timedelta(days=182))
    call_command("actualisation_tick")
    assert TacheQualite.objects.get().courriel_signalement == REPORTER

    TacheQualite.objects.update(ouverte_le=timezone.now() - datetime.timedelta(days=184))
    call_command("actualisation_tick")
    task = TacheQualite.objects.get()
    assert task.courriel_signalement == "" and task.fermee_le is None
