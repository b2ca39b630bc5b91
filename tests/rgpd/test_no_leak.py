"""No personal data in e-mail subjects, URLs or logs: a journey through the portal with a
planted person (prescription, parcours, fiche relais, situation, commission, reminders,
expiry, cancellation) is scanned for her names."""

import logging
import re
import uuid
from datetime import timedelta

from django.core import mail
from django.utils import timezone

import pytest

from fiche_relais import services as fiche_services
from fiche_relais.models import Commission, SituationBloquee
from prescription import services as prescription_services
from prescription.models import Prescription
from tests import test_permission_matrix as matrix
from tests.factories import MembreFactory, ServiceFactory
from tests.fiche_relais import conftest as fiche_relais_conftest
from tests.prescription.conftest import form_data

pytestmark = pytest.mark.django_db
world = fiche_relais_conftest.world
matrix_world = matrix.world

FIRST, LAST = matrix.SECRET_NAME, "Quintal"
PLANTED = (FIRST, LAST, FIRST.lower(), LAST.upper())
URL_ATTRIBUTES = re.compile(r'(?:href|src|action)="([^"]*)"')
GET_FORMS = re.compile(r'<form(?![^>]*method="post")[^>]*>(.*?)</form>', re.S | re.I)
PERSON_FIELDS = re.compile(r'name="(nom|prenom|date_naissance)"')


def _assert_clean(texts, where):
    for text in texts:
        assert not any(name in text for name in PLANTED), f"{where} : {text[:200]}"


def _journey(client, mails, world):
    """Every kind of e-mail about the planted person, through the pages where there is one."""
    personne = world.personne
    personne.prenom, personne.nom = FIRST, LAST
    personne.save()
    service = ServiceFactory(courriel="accueil@example.org")
    prescripteur = MembreFactory().user
    client.force_login(prescripteur)
    with mails(execute=True):
        for _ in range(3):
            client.post(f"/services/{service.pk}/orienter/", form_data(
                prenom=FIRST, nom=LAST, cle_idempotence=str(uuid.uuid4()), confirmer_doublon="on",
            ))  # fmt: skip
    accepted, cancelled, forgotten = Prescription.objects.order_by("pk")
    with mails(execute=True):
        client.post(
            f"/prescriptions/{cancelled.pk}/actions/annuler/",
            {"message": f"Plus besoin pour {FIRST} {LAST}", "confirmer": "on"},
        )
        link = f"/prescriptions/reponse/{prescription_services.link_token(accepted)}/"
        client.post(link, {"action": "accepter"})
        prescription_services.send_new_link(forgotten)
        prescription_services.tick(timezone.now() + timedelta(days=31))

    client.force_login(world.referent_depart)
    fiche = fiche_services.nouvelle_fiche(personne, world.referent_depart, world.structure_depart)
    with mails(execute=True):
        client.post(f"/parcours/fiches/{fiche.pk}/envoyer/", {
            "structure_destinataire": world.structure_arrivee.pk, "dispositif_propose": "CEJ",
            "contrat_propose": "cej", "consentement": world.consentement.pk,
        })  # fmt: skip
        client.post(f"/parcours/personnes/{personne.pk}/situations/", {
            "motif": "absence-offre", "situation": "s", "actions_menees": "a", "blocage": "b",
            "demande": "d",
        })  # fmt: skip
        fiche_services.alert_coordination(timezone.now() + timedelta(days=8))
    replacing = fiche_services.nouvelle_fiche(
        personne, world.referent_depart, world.structure_depart
    )
    with mails(execute=True):
        client.post(f"/parcours/fiches/{replacing.pk}/envoyer/", {
            "structure_destinataire": world.structure_arrivee.pk, "dispositif_propose": "CEJ",
            "contrat_propose": "cej", "consentement": world.consentement.pk, "remplacer": "on",
        })  # fmt: skip
        replacing.refresh_from_db()
        fiche_services.assigner(replacing, world.admin_arrivee, world.referent_arrivee)
        fiche_services.prendre_le_relais(
            replacing, world.referent_arrivee, dispositif="CEJ", contrat="cej"
        )
    situation = SituationBloquee.objects.get()
    coordinator = world.coordinateur
    commission = Commission.objects.create(
        coordination=coordinator.coordinations.get(), date=timezone.localdate()
    )
    with mails(execute=True):
        fiche_services.inscrire(situation, commission, coordinator)
    client.force_login(coordinator)
    with mails(execute=True):
        client.post(f"/parcours/situations/{situation.pk}/", {
            "solutions": "s", "qui_fait_quoi": "q", "echeance": "2026-12-01",
        })  # fmt: skip
        client.post("/parcours/coordination/donnees-personne/", {"nom": LAST, "prenom": FIRST})


def test_no_subject_and_no_log_record_names_the_person(client, mails, world, caplog):
    caplog.set_level(logging.DEBUG)

    _journey(client, mails, world)

    kinds = {message.subject for message in mail.outbox}
    assert len(kinds) >= 14, kinds  # the journey sent every kind of e-mail
    assert any(FIRST in message.body for message in mail.outbox)  # the scan can fail
    _assert_clean([message.subject for message in mail.outbox], "sujet d'e-mail")
    _assert_clean([record.getMessage() for record in caplog.records], "journal")


@pytest.mark.parametrize("role", matrix.ROLES)
def test_no_url_names_the_person(client, matrix_world, role):
    """The URL walk of the permission matrix, as each role: no link, form target or redirect
    carries the person's names, and no form that sends by GET asks for them."""
    if role != "anonyme":
        client.force_login(matrix_world["users"][role])
    for url, _ in matrix.MATRIX.values():
        response = client.get(url.format(**matrix_world))
        if response.streaming:  # a file, not a page with links
            continue
        page = response.content.decode(errors="replace")
        targets = URL_ATTRIBUTES.findall(page) + [response.get("Location", "")]
        _assert_clean(targets, url)
        for form in GET_FORMS.findall(page):
            assert not PERSON_FIELDS.search(form), f"{url} : un formulaire GET demande {form[:200]}"
