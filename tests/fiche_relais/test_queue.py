"""The structure's queue: a fiche sent to a structure waits for its admins to designate the
référent, who is e-mailed; the sender and the coordination are told when the relay is taken;
one pending fiche per person; the alert badges wherever the fiche is listed."""

from datetime import timedelta

from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

import pytest

from fiche_relais import services
from fiche_relais.models import FicheRelais
from notifications.models import SentNotification
from tests.fiche_relais.factories import FicheRelaisFactory
from tests.fiche_relais.test_fiche_relais import draft

pytestmark = pytest.mark.django_db


def send_to_structure(world, mails, **kwargs):
    fiche = draft(world)
    with mails(execute=True):
        services.envoyer(
            fiche, world.referent_depart, consentement=world.consentement,
            structure_destinataire=world.structure_arrivee, dispositif_propose="CEJ",
            contrat_propose="cej", **kwargs,
        )  # fmt: skip
    fiche.refresh_from_db()
    return fiche


def queue_of(client, user):
    client.force_login(user)
    return client.get("/parcours/").content.decode()


def test_a_fiche_sent_to_a_structure_waits_in_its_admins_queue_until_designated(
    client, world, mails
):
    fiche = send_to_structure(world, mails)
    assert [m.to for m in mail.outbox if not m.subject.startswith("Copie")] == [
        [world.admin_arrivee.email]
    ]
    page = queue_of(client, world.admin_arrivee)
    assert 'id="fiches-a-designer"' in page and fiche.get_absolute_url() in page
    assert 'id="fiches-a-designer"' not in queue_of(client, world.referent_arrivee)

    mail.outbox.clear()
    client.force_login(world.admin_arrivee)
    with mails(execute=True):
        client.post(
            f"/parcours/fiches/{fiche.pk}/assigner/", {"referent": world.referent_arrivee.pk}
        )

    fiche.refresh_from_db()
    assert fiche.destinataire == world.referent_arrivee
    assert [m.to for m in mail.outbox] == [[world.referent_arrivee.email]]
    assert "vous prenez le relais" in mail.outbox[0].subject
    assert f"http://testserver/parcours/fiches/{fiche.pk}/" in mail.outbox[0].body
    assert 'id="fiches-a-designer"' not in queue_of(client, world.admin_arrivee)
    assert fiche.get_absolute_url() in queue_of(client, world.referent_arrivee)
    designation = fiche.transitions.get(to_state="envoyee", from_state="envoyee")
    assert designation.user == world.admin_arrivee


def test_taking_over_tells_the_sender_and_the_coordination(world, mails):
    fiche = send_to_structure(world, mails)
    services.assigner(fiche, world.admin_arrivee, world.referent_arrivee)
    mail.outbox.clear()

    with mails(execute=True):
        services.prendre_le_relais(fiche, world.referent_arrivee, dispositif="CEJ", contrat="cej")

    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [world.referent_depart.email, world.coordinateur.email]
    )
    assert all(m.subject == f"Relais pris : fiche relais n° {fiche.pk}" for m in mail.outbox)
    assert "CEJ" in mail.outbox[0].body
    assert SentNotification.objects.filter(
        recipient=world.referent_depart, kind="fiche_relais.RelaisPris"
    ).exists()


def test_a_second_take_over_is_refused_and_leaves_the_first_takers_etape(world, mails):
    fiche = send_to_structure(world, mails)
    services.assigner(fiche, world.admin_arrivee, world.referent_arrivee)
    second_tab = FicheRelais.objects.get(pk=fiche.pk)
    services.prendre_le_relais(fiche, world.referent_arrivee, dispositif="CEJ", contrat="cej")

    with pytest.raises(ValidationError, match="déjà « Relais pris »"):
        services.prendre_le_relais(
            second_tab, world.referent_arrivee, dispositif="PLIE", contrat="plie"
        )

    etapes = world.personne.etapes.filter(fin=None)
    assert [(e.referent, e.dispositif) for e in etapes] == [(world.referent_arrivee, "CEJ")]


def test_one_pending_fiche_per_person_a_new_one_replaces_it_explicitly(client, world, mails):
    first = send_to_structure(world, mails)
    services.assigner(first, world.admin_arrivee, world.referent_arrivee)
    second = draft(world)

    with pytest.raises(ValidationError, match="attend encore son relais"):
        services.envoyer(
            second, world.referent_depart, consentement=world.consentement,
            destinataire=world.collegue_depart,
        )  # fmt: skip
    mail.outbox.clear()
    with mails(execute=True):
        services.envoyer(
            second, world.referent_depart, consentement=world.consentement,
            destinataire=world.collegue_depart, remplacer=True,
        )  # fmt: skip

    first.refresh_from_db()
    assert first.statut == FicheRelais.Statut.REMPLACEE
    told = [m for m in mail.outbox if m.subject == f"Fiche relais n° {first.pk} remplacée"]
    assert [m.to for m in told] == [[world.referent_arrivee.email]]
    assert world.collegue_depart.get_full_name() in told[0].body
    client.force_login(world.referent_arrivee)
    assert client.get(first.get_absolute_url()).status_code == 404
    assert "Je prends le relais" not in client.get("/parcours/").content.decode()


def test_the_send_form_offers_the_replacement_only_when_a_fiche_is_pending(client, world, mails):
    send_to_structure(world, mails)
    second = draft(world)
    client.force_login(world.referent_depart)

    page = client.get(second.get_absolute_url()).content.decode()

    assert "Remplacer la fiche en attente" in page and "Mission locale" in page


def test_the_database_keeps_one_pending_fiche_per_person(world):
    fiche = FicheRelaisFactory(envoyee=True)
    with pytest.raises(IntegrityError):
        FicheRelaisFactory(envoyee=True, etape=fiche.personne.etapes.get())


@pytest.mark.parametrize("days, badge", [(3, None), (8, "Alerte"), (16, "Risque de rupture")])
def test_the_alert_badge_on_every_list_where_the_fiche_appears(client, world, mails, days, badge):
    fiche = send_to_structure(world, mails)
    FicheRelais.objects.filter(pk=fiche.pk).update(envoyee_le=timezone.now() - timedelta(days=days))
    pages = {
        "file active de l'admin": (world.admin_arrivee, "/parcours/"),
        "coordination": (world.coordinateur, "/parcours/coordination/"),
        "parcours": (world.referent_depart, world.personne.get_absolute_url()),
        "fiche": (world.referent_depart, fiche.get_absolute_url()),
    }
    for where, (user, url) in pages.items():
        client.force_login(user)
        page = client.get(url).content.decode()
        assert (badge is not None and f">{badge}</span>" in page) or (
            badge is None and "data-alerte" not in page
        ), where
    services.assigner(fiche, world.admin_arrivee, world.referent_arrivee)
    client.force_login(world.referent_arrivee)
    page = client.get("/parcours/").content.decode()
    assert (badge is None) == ("data-alerte" not in page)
