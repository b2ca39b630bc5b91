"""Actualisation that reaches structures (issue 20, item 8): the monthly digest goes to the
structure's admins, else to its public e-mail with the link to claim it; every « toujours à
jour » is written in the service's history with who confirmed (the user, or « lien signé »)."""

import datetime
import re

from django.core import mail

from wagtail.models import ModelLogEntry

import pytest
import time_machine

from actualisation import services
from actualisation.models import Rappel
from catalogue import fraicheur
from catalogue.models import DemandeAdhesion, Membre, Service
from tests.factories import (
    CoordinationFactory,
    MembreFactory,
    ServiceFactory,
    StructureFactory,
    UserFactory,
)  # fmt: skip

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 2, 9, tzinfo=datetime.UTC)
PUBLIC = "accueil@centre-social.example.org"


def _due(structure, nom="Permis B"):
    service = ServiceFactory(structure=structure, nom=nom)
    six_months_ago = fraicheur.add_months(NOW.date(), -6)
    Service.objects.filter(pk=service.pk).update(date_maj=six_months_ago, frequence_maj=6)
    return service


def _send(mails):
    with time_machine.travel(NOW, tick=False), mails(execute=True):
        return services.send_digests()


def test_without_admin_the_digest_goes_to_the_public_address_with_a_claim_link(client, mails):
    structure = StructureFactory(nom="Centre social du Panier", courriel=PUBLIC)
    _due(structure)

    assert _send(mails) == 1

    [message] = mail.outbox
    assert message.to == [PUBLIC]
    assert "Permis B" in message.body and "/actualisation/confirmer/" in message.body
    claim = re.search(r"http://testserver(/comptes/rejoindre/\d+/)", message.body).group(1)
    assert claim == f"/comptes/rejoindre/{structure.pk}/"
    assert "revendiquez-la" in message.body
    assert Rappel.objects.get().envoye_le is not None
    assert _send(mails) == 0  # once a month

    professional = UserFactory()
    client.force_login(professional)
    assert "Demander à administrer" in client.get(claim).content.decode()
    client.post(claim, {"message": "Je dirige le centre."})
    assert DemandeAdhesion.objects.get(user=professional).role == Membre.Role.ADMIN


def test_with_admins_only_they_hear_it_without_claim_link(mails):
    admin = MembreFactory(role=Membre.Role.ADMIN, structure__courriel=PUBLIC)
    _due(admin.structure)

    _send(mails)

    [message] = mail.outbox
    assert message.to == [admin.user.email]
    assert "/comptes/rejoindre/" not in message.body


def test_an_unreachable_or_unpublished_structure_gets_nothing(mails):
    _due(StructureFactory(courriel=""))
    _due(StructureFactory(courriel=PUBLIC, est_publiee=False))
    _due(StructureFactory(courriel=PUBLIC), nom="Atelier CV")
    Service.objects.filter(nom="Atelier CV").update(date_maj=NOW.date())  # up to date

    assert _send(mails) == 0
    assert mail.outbox == []


def test_a_campaign_reaches_the_public_address_with_the_claim_link(mails):
    structure = StructureFactory(courriel=PUBLIC)
    ServiceFactory(structure=structure, code_insee="13005")
    coordinator = UserFactory()
    coordination = CoordinationFactory(membres=[coordinator])

    with mails(execute=True):
        services.launch_campaign(coordination, coordinator, "Mobilité", "13", [])

    [message] = mail.outbox
    assert message.to == [PUBLIC] and f"/comptes/rejoindre/{structure.pk}/" in message.body


def _confirmations(service):
    entries = ModelLogEntry.objects.for_instance(service).filter(action="actualisation.confirme")
    return [(entry.user, entry.message) for entry in entries]


def test_a_confirmation_by_the_signed_link_is_in_the_history(client):
    service = _due(StructureFactory())
    link = services.confirmation_link(service).removeprefix("http://testserver")

    client.post(link)

    assert _confirmations(service) == [(None, "Confirmé « toujours à jour » par lien signé")]
    history = client.get(f"/admin/snippets/catalogue/service/history/{service.pk}/")
    assert history.status_code == 302  # the history itself is for the structure's members
    member = MembreFactory(structure=service.structure).user
    client.force_login(member)
    page = client.get(f"/admin/snippets/catalogue/service/history/{service.pk}/").content
    assert "Confirmé « toujours à jour » par lien signé" in page.decode()


def test_a_confirmation_by_a_logged_in_member_names_them(client):
    member = MembreFactory(user__first_name="Inès", user__last_name="Benali")
    service = _due(member.structure)
    client.force_login(member.user)

    client.post(services.confirmation_link(service).removeprefix("http://testserver"))

    [(user, message)] = _confirmations(service)
    assert user == member.user
    assert message == f"Confirmé « toujours à jour » par Inès Benali ({member.user.email})"
