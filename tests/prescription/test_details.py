"""What the receiving structure and the prescripteur see of a prescription, and dates that make
sense: the prescripteur's contact, no preselected refusal reason, every message kept in the
log, reminder and expiry, no deadline on a closed prescription, a cancellation with a reason,
an appointment not in the past, « reçue / absente » from its time, a PDF that follows the
status."""

import re
from datetime import timedelta

from django.core import mail
from django.utils import timezone

import pytest

from prescription import services, states
from prescription.pdf import where_it_stands
from prescription.states import Statut
from tests.factories import MembreFactory, PrescriptionFactory, StructureFactory
from tests.utils.pdf import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def prescription(service, prescripteur):
    structure = prescripteur.memberships.get().structure
    structure.telephone = "04 42 00 00 00"
    structure.save()
    return PrescriptionFactory(
        service=service, prescripteur=prescripteur, structure_prescriptrice=structure
    )


def detail(client, user, prescription):
    client.force_login(user)
    return client.get(prescription.get_absolute_url()).content.decode()


def test_the_structure_sees_the_prescripteurs_structure_e_mail_and_phone(
    client, prescription, structure_member
):
    page = detail(client, structure_member, prescription)

    contact = page[page.index('id="prescripteur"') :]
    assert "France Travail Aubagne" in contact and prescription.prescripteur.email in contact
    assert "04 42 00 00 00" in contact
    prescription.telephone_prescripteur = "06 11 22 33 44"
    prescription.save()
    assert "06 11 22 33 44" in detail(client, structure_member, prescription)


def test_no_refusal_reason_is_preselected_and_one_is_required(
    client, prescription, structure_member
):
    page = detail(client, structure_member, prescription)
    select = re.search(r'<select[^>]*name="motif_refus".*?</select>', page, re.S).group()
    assert 'value="" selected' in select
    assert select.count("selected") == 1

    client.post(f"/prescriptions/{prescription.pk}/actions/refuser/", {})

    prescription.refresh_from_db()
    assert prescription.statut == Statut.ENVOYEE


def test_every_message_is_kept_in_the_log(client, prescription, structure_member, mails):
    client.force_login(structure_member)
    with mails(execute=True):
        client.post(f"/prescriptions/{prescription.pk}/actions/accepter/", {
            "message_prescripteur": "Nous la recevons volontiers.",
            "message_personne": "Bienvenue !",
        })  # fmt: skip
        client.post(f"/prescriptions/{prescription.pk}/actions/fixer_rdv/", {
            "rdv_le": (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
            "rdv_lieu": "Accueil", "message_personne": "Apportez votre CV.",
        })  # fmt: skip

    messages = list(prescription.transitions.values_list("message", flat=True))
    assert messages == [
        "Au prescripteur : Nous la recevons volontiers.\nÀ la personne : Bienvenue !",
        "À la personne : Apportez votre CV.",
    ]
    page = detail(client, structure_member, prescription)
    assert "Bienvenue !" in page and "Apportez votre CV." in page


def test_reminder_and_expiry_are_shown_until_an_answer(client, prescription, structure_member):
    sent_on = timezone.localdate(prescription.envoyee_le)

    page = detail(client, structure_member, prescription)

    reminder = (sent_on + timedelta(days=10)).strftime("%-d")
    assert re.search(rf"relancée le {reminder} \w+ \d{{4}}", page)
    assert "expire le" in page
    services.act(prescription, "accepter", actor=states.STRUCTURE)
    page = detail(client, structure_member, prescription)
    assert "relancée" not in page and "expire le" not in page
    assert "RDV attendu avant" in page


@pytest.mark.parametrize(
    "trait", ["refusee", "expiree", "annulee", "personne_recue", "personne_absente", "rdv_fixe"]
)
def test_no_deadline_on_a_prescription_past_its_wait(client, prescripteur, trait):
    closed = PrescriptionFactory(
        prescripteur=prescripteur, envoyee_le=timezone.now() - timedelta(days=40), **{trait: True}
    )
    client.force_login(prescripteur)

    assert "RDV attendu avant" not in client.get(closed.get_absolute_url()).content.decode()
    listing = client.get("/prescriptions/").content.decode()
    assert "En retard" not in listing
    row = listing[listing.index(closed.get_absolute_url()) :].split("</tr>")[0]
    assert "<td>—</td>" in row


def test_cancelling_asks_for_a_reason_and_a_confirmation(client, prescription, mails):
    client.force_login(prescription.prescripteur)
    url = f"/prescriptions/{prescription.pk}/actions/annuler/"
    page = client.get(prescription.get_absolute_url()).content.decode()
    assert "Motif de l&#x27;annulation" in page and "Je confirme l&#x27;annulation" in page

    client.post(url, {"message": "La personne a trouvé un emploi."})
    prescription.refresh_from_db()
    assert prescription.statut == Statut.ENVOYEE

    with mails(execute=True):
        client.post(url, {"message": "La personne a trouvé un emploi.", "confirmer": "on"})

    prescription.refresh_from_db()
    assert prescription.statut == Statut.ANNULEE
    assert prescription.transitions.get().message == "La personne a trouvé un emploi."
    assert "Motif : La personne a trouvé un emploi." in mail.outbox[0].body


# Dates ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "hours_ago, accepted", [(-48, True), (12, True), (25, False), (24 * 400, False)]
)
def test_an_appointment_at_most_a_day_in_the_past(
    client, service, structure_member, hours_ago, accepted
):
    prescription = PrescriptionFactory(service=service, acceptee=True)
    client.force_login(structure_member)
    when = timezone.localtime() - timedelta(hours=hours_ago)

    client.post(f"/prescriptions/{prescription.pk}/actions/fixer_rdv/", {
        "rdv_le": when.strftime("%Y-%m-%dT%H:%M"), "rdv_lieu": "Accueil",
    })  # fmt: skip

    prescription.refresh_from_db()
    assert (prescription.statut == Statut.RDV_FIXE) is accepted


def test_received_or_absent_only_from_the_appointment_time(client, service, structure_member):
    prescription = PrescriptionFactory(service=service, rdv_fixe=True)
    client.force_login(structure_member)

    response = client.post(
        f"/prescriptions/{prescription.pk}/actions/personne_absente/", follow=True
    )

    assert "pas encore eu lieu" in response.content.decode()
    prescription.refresh_from_db()
    assert prescription.statut == Statut.RDV_FIXE


def recap_text(client, prescription):
    client.force_login(prescription.prescripteur)
    return pdf_text(client.get(f"/prescriptions/{prescription.pk}/recapitulatif.pdf").content)


@pytest.mark.parametrize(
    "trait, says",
    [
        ("refusee", "n'a pas pu donner suite"),
        ("expiree", "n'a pas répondu"),
        ("annulee", "a été annulée"),
        ("personne_recue", "Vous avez été reçu(e)"),
        ("personne_absente", "Vous n'êtes pas venu(e)"),
        ("acceptee", "La structure vous contactera"),
    ],
)
def test_the_persons_pdf_follows_the_status(client, trait, says):
    prescription = PrescriptionFactory(**{trait: True})

    text = recap_text(client, prescription)

    assert says in text
    assert ("vous contactera" in text) is (trait == "acceptee")


def test_appointment_times_are_local(client):
    """23:30 UTC in winter is 00:30 in Paris, the next day."""
    prescription = PrescriptionFactory(rdv_fixe=True)
    prescription.rdv_le = timezone.now().replace(month=1, day=14, hour=23, minute=30) + timedelta(
        days=365
    )
    prescription.save()

    assert "15 janvier" in where_it_stands(prescription)
    assert "0h30" in where_it_stands(prescription)


def test_a_structure_without_phone_shows_none(client, service, structure_member):
    prescripteur = MembreFactory(structure=StructureFactory(telephone="")).user
    prescription = PrescriptionFactory(
        service=service, prescripteur=prescripteur,
        structure_prescriptrice=prescripteur.memberships.get().structure,
    )  # fmt: skip

    page = detail(client, structure_member, prescription)

    assert "Téléphone : </li>" not in page
