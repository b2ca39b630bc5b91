"""Actualisation: monthly digests with one-click confirmation, quality tasks opened by refusals,
campaigns of the coordination, unmet needs — each rule with time moved."""

import datetime
import re

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

import pytest
import time_machine

from actualisation import services
from actualisation.models import Campagne, Rappel, TacheQualite
from catalogue import fraicheur
from catalogue.models import Membre, Service
from prescription import services as prescription_services
from prescription import states
from search.models import BesoinNonCouvert, IndexEntry
from tests.factories import (
    CoordinationFactory,
    MembreFactory,
    PrescriptionFactory,
    ServiceFactory,
    UserFactory,
)  # fmt: skip

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 2, 9, tzinfo=datetime.UTC)
TODAY = NOW.date()


def _dated(service, date_maj, frequence=6):
    Service.objects.filter(pk=service.pk).update(date_maj=date_maj, frequence_maj=frequence)
    service.refresh_from_db()
    return service


@pytest.fixture
def structure_admin():
    return MembreFactory(role=Membre.Role.ADMIN)


@pytest.fixture
def offer(structure_admin):
    structure = structure_admin.structure
    return {
        "frais": _dated(ServiceFactory(structure=structure, nom="Atelier CV"), TODAY),
        "du": _dated(
            ServiceFactory(structure=structure, nom="Permis B"), fraicheur.add_months(TODAY, -6)
        ),
        "masque": _dated(
            ServiceFactory(structure=structure, nom="Garage"), fraicheur.add_months(TODAY, -13)
        ),
    }


def _links(message):
    return re.findall(r"http://testserver(/actualisation/confirmer/[^/\s]+/)", message.body)


def test_the_digest_lists_due_services_once_a_month(offer, structure_admin, mails):
    with time_machine.travel(NOW, tick=False), mails(execute=True):
        assert services.send_digests() == 1
        assert services.send_digests() == 0  # same month: nothing again

    message = mail.outbox[0]
    assert message.to == [structure_admin.user.email]
    assert "Permis B" in message.body and "Garage" in message.body
    assert "Atelier CV" not in message.body
    assert "masqué de la recherche publique" in message.body
    assert len(_links(message)) == 2
    assert f"/admin/snippets/catalogue/service/edit/{offer['du'].pk}/" in message.body
    assert Rappel.objects.get().services == 2

    with time_machine.travel(NOW + datetime.timedelta(days=31), tick=False), mails(execute=True):
        call_command("actualisation_tick")
    assert len(mail.outbox) == 2  # next month


def test_nothing_due_no_digest(structure_admin):
    ServiceFactory(structure=structure_admin.structure)
    with time_machine.travel(NOW, tick=False):
        assert services.send_digests() == 0
    assert mail.outbox == []


def test_the_one_click_link_confirms_and_the_index_follows(client, offer, mails):
    with time_machine.travel(NOW, tick=False), mails(execute=True):
        services.send_digests()
    link = _links(mail.outbox[0])[0]
    token_service = services.service_of_token(link.split("/")[-2])

    with time_machine.travel(NOW + datetime.timedelta(days=3), tick=False):
        page = client.get(link)
        assert page.status_code == 200 and "toujours à jour" in page.content.decode()
        token_service.refresh_from_db()
        assert token_service.date_maj != TODAY + datetime.timedelta(days=3)  # GET changes nothing
        client.post(link)

    token_service.refresh_from_db()
    assert token_service.date_maj == TODAY + datetime.timedelta(days=3)
    entry = IndexEntry.objects.get(pk=token_service.pk)
    assert entry.date_maj == token_service.date_maj
    assert token_service.pk in {offer["du"].pk, offer["masque"].pk}


def test_a_tampered_or_expired_link_does_nothing(client, offer):
    token = services.confirmation_link(offer["du"]).split("/")[-2]
    assert client.post(f"/actualisation/confirmer/{token}x/").status_code == 404
    with time_machine.travel(timezone.now() + datetime.timedelta(days=46)):
        assert client.post(f"/actualisation/confirmer/{token}/").status_code == 410
    offer["du"].refresh_from_db()
    assert offer["du"].date_maj == fraicheur.add_months(TODAY, -6)


@pytest.mark.parametrize(
    ("motif", "opens"),
    [("coordonnees-erronees", True), ("service-ferme", True), ("plus-de-places", True),
     ("non-eligible", False)],
)  # fmt: skip
def test_a_refusal_for_a_wrong_listing_opens_a_quality_task(motif, opens):
    prescription = PrescriptionFactory()
    prescription_services.act(prescription, "refuser", actor=states.STRUCTURE, motif_refus=motif)

    assert (
        TacheQualite.objects.filter(service=prescription.service, fermee_le=None).exists() == opens
    )


def test_the_task_closes_when_the_structure_confirms_and_shows_meanwhile(client, structure_admin):
    service = ServiceFactory(structure=structure_admin.structure, code_insee="13005")
    prescription = PrescriptionFactory(service=service)
    prescription_services.act(
        prescription, "refuser", actor=states.STRUCTURE, motif_refus="service-ferme"
    )
    coordinator = UserFactory()
    CoordinationFactory(membres=[coordinator])
    client.force_login(coordinator)
    assert "Service fermé" in client.get("/actualisation/coordination/").content.decode()

    services.confirm(service)

    assert TacheQualite.objects.get().fermee_le is not None
    assert "Service fermé" not in client.get("/actualisation/coordination/").content.decode()


def test_the_coordination_sees_hidden_services_of_its_territory_only(client, offer):
    Service.objects.update(code_insee="13005")
    elsewhere = _dated(ServiceFactory(nom="Loin", code_insee="81004", code_postal="81000",
                                      commune="Albi", latitude=43.93, longitude=2.15),
                       fraicheur.add_months(TODAY, -13))  # fmt: skip
    coordinator = UserFactory()
    CoordinationFactory(membres=[coordinator])
    client.force_login(coordinator)

    with time_machine.travel(NOW, tick=False):
        html = client.get("/actualisation/coordination/").content.decode()

    assert "Garage" in html and "Permis B" not in html and elsewhere.nom not in html
    client.force_login(UserFactory())
    assert client.get("/actualisation/coordination/").status_code == 404


def test_a_campaign_asks_the_structures_concerned_follows_and_relaunches_once(client, mails):
    coordinator = UserFactory()
    coordination = CoordinationFactory(membres=[coordinator])
    admins = [MembreFactory(role=Membre.Role.ADMIN) for _ in range(2)]
    last_spring = TODAY - datetime.timedelta(days=200)
    mobility = [
        _dated(ServiceFactory(structure=a.structure, code_insee="13005",
                              thematiques=["mobilite--preparer-un-permis"]), last_spring)
        for a in admins
    ]  # fmt: skip
    ServiceFactory(structure=admins[0].structure, code_insee="13005", thematiques=["numerique--acceder-a-des-services-en-ligne"])  # fmt: skip
    ServiceFactory(code_insee="81004", thematiques=["mobilite--preparer-un-permis"])
    client.force_login(coordinator)

    with time_machine.travel(NOW, tick=False), mails(execute=True):
        response = client.post(
            "/actualisation/campagnes/nouvelle/",
            {"nom": "Mobilité 2026", "territoire": "13", "thematiques": ["mobilite"]},
        )
    campagne = Campagne.objects.get()
    assert response.url == f"/actualisation/campagnes/{campagne.pk}/"
    assert campagne.coordination == coordination
    assert sorted(m.to[0] for m in mail.outbox) == sorted(a.user.email for a in admins)
    assert all("Mobilité 2026" in m.body and m.body.count("/actualisation/confirmer/") == 1
               for m in mail.outbox)  # fmt: skip

    with time_machine.travel(NOW + datetime.timedelta(days=2), tick=False):
        services.confirm(mobility[0])
    page = client.get(f"/actualisation/campagnes/{campagne.pk}/").content.decode()
    assert "50 % des structures ont revu" in page

    mail.outbox.clear()
    with mails(execute=True):
        client.post(f"/actualisation/campagnes/{campagne.pk}/relancer/")
    assert [m.to[0] for m in mail.outbox] == [admins[1].user.email]
    assert mail.outbox[0].subject.startswith("Relance")
    response = client.post(f"/actualisation/campagnes/{campagne.pk}/relancer/", follow=True)
    assert "déjà été relancée" in response.content.decode() and len(mail.outbox) == 1


def test_a_campaign_outside_the_territory_is_refused(client):
    coordinator = UserFactory()
    CoordinationFactory(membres=[coordinator])
    client.force_login(coordinator)

    response = client.post(
        "/actualisation/campagnes/nouvelle/", {"nom": "Tarn", "territoire": "81"}, follow=True
    )

    assert "pas été lancée : Sélectionnez un choix valide. 81 n’en fait pas partie." in (
        response.content.decode()
    )
    assert not Campagne.objects.exists()
    other = Campagne.objects.create(
        coordination=CoordinationFactory(nom="Tarn", departement_id="81"), nom="Autre",
        territoire="81",
    )  # fmt: skip
    assert client.get(f"/actualisation/campagnes/{other.pk}/").status_code == 404


def test_searches_with_nothing_in_range_are_unmet_needs_by_epci(client):
    coordinator = UserFactory()
    CoordinationFactory(membres=[coordinator])
    ServiceFactory(code_insee="13005", code_postal="13400", commune="Aubagne",
                   latitude=43.2927, longitude=5.5708, zone_eligibilite=[],
                   thematiques=["mobilite--preparer-un-permis"])  # fmt: skip

    client.get("/api/v1/search/services", {"code_commune": "13005", "thematiques": "mobilite"})
    client.get("/api/v1/search/services", {"code_commune": "13005", "thematiques": "sante"})
    client.get("/recherche/", {"code_commune": "13005", "thematiques": "sante"})
    client.get(
        "/api/v1/search/services", {"code_commune": "13005", "thematiques": "sante", "page": 2}
    )

    besoin = BesoinNonCouvert.objects.get(pk=BesoinNonCouvert.objects.first().pk)
    assert BesoinNonCouvert.objects.count() == 2
    assert besoin.epci and besoin.departement == "13" and besoin.categories == ["sante"]
    client.force_login(coordinator)
    html = client.get("/actualisation/coordination/").content.decode()
    assert "<td>Santé</td><td>2</td>" in html
    assert "besoins-points" in html


def test_the_admin_home_shows_a_member_their_services_to_confirm_and_tasks(client, offer):
    member = MembreFactory(structure=offer["du"].structure)
    prescription = PrescriptionFactory(service=offer["frais"])
    prescription_services.act(
        prescription, "refuser", actor=states.STRUCTURE, motif_refus="coordonnees-erronees"
    )
    client.force_login(member.user)

    with time_machine.travel(NOW, tick=False):
        html = client.get("/admin/").content.decode()

    assert "Actualisation de vos services" in html
    assert "Permis B" in html and "masqué de la recherche publique" in html
    assert "Atelier CV : Coordonnées du service erronées" in html
    client.force_login(MembreFactory().user)
    assert "Permis B" not in client.get("/admin/").content.decode()


def test_a_failing_unmet_need_record_never_fails_the_search(client, monkeypatch):
    from django.db import OperationalError

    def locked(**fields):
        raise OperationalError("database is locked")

    monkeypatch.setattr(BesoinNonCouvert.objects, "create", locked)

    response = client.get("/api/v1/search/services", {"code_commune": "13005"})

    assert response.status_code == 200 and response.json()["total"] == 0
