"""Text typed with line feeds, tabs, NUL or 10,000 characters, through each form and each
e-mail: never a server error (above all not after the data is saved, when an e-mail leaves),
subjects on one short line, plain-text e-mails without HTML escaping."""

import re
import uuid
from datetime import timedelta

from django.core import mail
from django.utils import timezone

import pytest
import time_machine

from catalogue.models import Membre
from config.mail import SUBJECT_MAX_LENGTH
from fiche_relais import services as fiche_services
from fiche_relais import template
from fiche_relais.models import SituationBloquee
from prescription import services as prescription_services
from prescription.models import Prescription
from tests.factories import CoordinationFactory, MembreFactory, ServiceFactory, UserFactory
from tests.fiche_relais import conftest as fiche_relais_conftest
from tests.prescription.conftest import form_data

pytestmark = pytest.mark.django_db
world = fiche_relais_conftest.world  # the parcours world, as a fixture here too

HOSTILE = {
    "line feeds": "L'Île\nSaint-Denis\r\nsuite",
    "tab": "L'Île\tSaint-Denis",
    "NUL": "L'Île\x00Saint-Denis",
    "10,000 characters": "L'" + "é" * 10_000,
}
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def check_mails():
    """Every captured e-mail could be built and carries a clean subject and unescaped text."""
    for message in mail.outbox:
        message.message()  # what the SMTP backend does: a bad header raises here
        assert not CONTROL.search(message.subject), message.subject
        assert len(message.subject) <= SUBJECT_MAX_LENGTH
        assert "&#" not in message.body and "&amp;" not in message.body, message.body[:200]


def post_each(client, mails, url, baseline, fields, fresh=dict):
    """Posts `baseline` with each of `fields` replaced by each hostile value."""
    for field in fields:
        for label, value in HOSTILE.items():
            with mails(execute=True):
                response = client.post(url(), baseline | fresh() | {field: value})
            assert response.status_code < 500, (field, label)
            check_mails()


@pytest.fixture
def service():
    return ServiceFactory(nom="Aide à l'emploi\nde nuit\t" + "é" * 120, courriel="s@example.org")


def test_the_prescription_form_and_its_e_mails(client, mails, service):
    client.force_login(MembreFactory().user)
    fields = ["nom", "prenom", "telephone", "identifiant_france_travail", "motif", "attentes",
              "disponibilites", "commune"]  # fmt: skip

    post_each(client, mails, lambda: f"/services/{service.pk}/orienter/", form_data(), fields,
              fresh=lambda: {"cle_idempotence": str(uuid.uuid4()), "confirmer_doublon": "on"})  # fmt: skip

    assert Prescription.objects.exists() and mail.outbox


def test_the_structure_answers_and_their_e_mails(client, mails, service):
    prescripteur = MembreFactory().user

    def sent():
        with mails(execute=True):
            data = form_data(prenom="Amina", nom="L'Île")
            client.force_login(prescripteur)
            client.post(f"/services/{service.pk}/orienter/",
                        data | {"cle_idempotence": str(uuid.uuid4()), "confirmer_doublon": "on"})  # fmt: skip
            client.logout()
        return Prescription.objects.order_by("-pk").first()

    def link():
        return f"/prescriptions/reponse/{prescription_services.link_token(sent())}/"

    refusal = {"action": "refuser", "motif_refus": "autre", "motif_refus_precisions": "p",
               "message_prescripteur": "m", "message_personne": "m"}  # fmt: skip
    post_each(client, mails, link, refusal,
              ["motif_refus_precisions", "message_prescripteur", "message_personne"])  # fmt: skip
    check_mails()


def test_the_parcours_forms_and_their_e_mails(client, mails, world):
    personne, a, b = world.personne, world.referent_depart, world.referent_arrivee
    client.force_login(a)
    person = {"nom": "Durand", "prenom": "Inès", "commune_texte": "Aubagne", "code_commune": "13005",
              "dispositif": "PLIE", "contrat": "plie", "debut": "2026-01-05", "telephone": "06"}  # fmt: skip
    post_each(client, mails, lambda: "/parcours/personnes/nouvelle/", person,
              ["nom", "prenom", "telephone", "dispositif", "commune_texte"])  # fmt: skip
    post_each(client, mails, lambda: f"/parcours/personnes/{personne.pk}/consentement/",
              {"mode": "accord", "portee": "p"}, ["portee"])  # fmt: skip

    fiche = fiche_services.nouvelle_fiche(personne, a, world.structure_depart)
    grid = template.current_grid()
    for step in template.STEPS:
        fields = [name for name, _ in template.written_fields(step)]
        baseline = {}
        if step.slug == template.DIAGNOSTIC_STEP:
            fields = [f"diag_{slug}_commentaire" for slug, *_ in grid]
            baseline = {f"diag_{slug}_statut": "sans-objet" for slug, *_ in grid}
        url = f"/parcours/fiches/{fiche.pk}/modifier/?etape={step.slug}"
        post_each(client, mails, lambda url=url: url, baseline, fields)
    sending = {"destinataire": b.email, "dispositif_propose": "CEJ", "contrat_propose": "cej",
               "consentement": world.consentement.pk, "structure_destinataire": world.structure_arrivee.pk}  # fmt: skip
    post_each(client, mails, lambda: f"/parcours/fiches/{fiche.pk}/envoyer/", sending,
              ["dispositif_propose", "destinataire"])  # fmt: skip

    presentation = {"motif": "absence-offre", "situation": "s", "actions_menees": "a",
                    "blocage": "b", "demande": "d"}  # fmt: skip
    post_each(client, mails, lambda: f"/parcours/personnes/{personne.pk}/situations/",
              presentation, ["situation", "actions_menees", "blocage", "demande"])  # fmt: skip
    situation = SituationBloquee.objects.first()
    coordinator = world.coordinateur
    fiche_relais_conftest.on_the_agenda(situation, coordinator)
    client.force_login(coordinator)
    decision = {"solutions": "s", "qui_fait_quoi": "q", "echeance": "2026-12-01",
                "offre_manquante": "o"}  # fmt: skip
    post_each(client, mails, lambda: f"/parcours/situations/{situation.pk}/", decision,
              ["solutions", "qui_fait_quoi", "offre_manquante"])  # fmt: skip
    with mails(execute=True), time_machine.travel(timezone.now() + timedelta(days=8)):
        fiche_services.alert_coordination()
    check_mails()


def test_the_account_forms_and_their_e_mails(client, mails, service):
    user = MembreFactory(role=Membre.Role.ADMIN).user
    client.force_login(user)
    post_each(client, mails, lambda: f"/comptes/rejoindre/{service.structure_id}/",
              {"message": "m"}, ["message"])  # fmt: skip
    post_each(client, mails, lambda: "/comptes/adresse/", {"email": "n@example.org"}, ["email"])
    structure = user.memberships.get().structure
    post_each(client, mails, lambda: f"/admin/membres/{structure.pk}/",
              {"email": "i@example.org", "role": "membre"}, ["email"])  # fmt: skip


def test_error_reports_and_new_structures_and_their_e_mails(client, mails, service, settings):
    settings.ERROR_REPORT_RATE_LIMIT = 0
    post_each(client, mails, lambda: f"/services/{service.pk}/signaler/",
              {"details": "Le téléphone ne répond plus.", "courriel": ""}, ["details"])  # fmt: skip
    CoordinationFactory(membres=[UserFactory()])  # who hears of the new structures
    for value in HOSTILE.values():  # one creation pending per user: a new user each time
        client.force_login(UserFactory())
        with mails(execute=True):
            response = client.post("/structures/nouvelle/", {
                "nom": f"Épicerie {uuid.uuid4().hex[:6]}", "siret": "44306184100047",
                "code_postal": "13002", "commune_texte": "Marseille", "message": value,
                "description": "Une épicerie solidaire.",
            })  # fmt: skip
        assert response.status_code < 500
        check_mails()
    assert any("Nouvelle structure à valider" in m.subject for m in mail.outbox)
