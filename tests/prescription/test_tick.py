"""`prescriptions_tick` across J+10, J+15, J+30 and the retention, with time moved."""

import io
from datetime import UTC, datetime, timedelta

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

import pytest
import time_machine

from prescription.models import PieceJointe, Prescription, Statut
from tests.factories import PrescriptionFactory

pytestmark = pytest.mark.django_db

# In UTC: days added to a Paris time would shift by the summer-time hour.
SENT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def tick(days, capture):
    with time_machine.travel(SENT + timedelta(days=days), tick=False), capture(execute=True):
        call_command("prescriptions_tick", stdout=io.StringIO())


@pytest.fixture
def prescription():
    prescription = PrescriptionFactory(envoyee_le=SENT, service__courriel="accueil@example.org")
    PieceJointe.objects.create(
        prescription=prescription, fichier=SimpleUploadedFile("a.pdf", b"%PDF-1.4"),
        nom="a.pdf", type="application/pdf", taille=8,
    )  # fmt: skip
    return prescription


def test_nothing_before_ten_days(prescription, django_capture_on_commit_callbacks):
    tick(9, django_capture_on_commit_callbacks)

    assert not mail.outbox
    prescription.refresh_from_db()
    assert prescription.relance_le is None and prescription.statut == Statut.ENVOYEE


def test_one_reminder_at_ten_days_however_often_it_runs(
    prescription, django_capture_on_commit_callbacks
):
    tick(10, django_capture_on_commit_callbacks)
    tick(11, django_capture_on_commit_callbacks)
    tick(12, django_capture_on_commit_callbacks)

    assert [m.to for m in mail.outbox] == [["accueil@example.org"]]
    assert "attend toujours votre réponse" in mail.outbox[0].body
    assert "/prescriptions/reponse/" in mail.outbox[0].body


def test_late_after_fifteen_days_unless_an_appointment_is_fixed(prescription):
    with time_machine.travel(SENT + timedelta(days=15, hours=13), tick=False):  # 23:00 in Paris
        assert not prescription.en_retard
        assert not Prescription.objects.en_retard().exists()
    with time_machine.travel(SENT + timedelta(days=16), tick=False):
        assert prescription.en_retard
        assert list(Prescription.objects.en_retard()) == [prescription]
        prescription.statut = Statut.RDV_FIXE
        assert not prescription.en_retard


def test_expiry_at_thirty_days_tells_everyone_and_deletes_files(
    prescription, django_capture_on_commit_callbacks
):
    tick(29, django_capture_on_commit_callbacks)
    assert Prescription.objects.get().statut == Statut.ENVOYEE
    mail.outbox.clear()

    tick(30, django_capture_on_commit_callbacks)
    tick(31, django_capture_on_commit_callbacks)

    prescription.refresh_from_db()
    assert prescription.statut == Statut.EXPIREE
    assert prescription.transitions.get().via == "système"
    assert not prescription.pieces_jointes.exists()
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted(
        ["accueil@example.org", prescription.prescripteur.email, prescription.courriel]
    )


def test_answered_prescriptions_do_not_expire(prescription, django_capture_on_commit_callbacks):
    Prescription.objects.filter(pk=prescription.pk).update(statut=Statut.ACCEPTEE)

    tick(40, django_capture_on_commit_callbacks)

    assert Prescription.objects.get().statut == Statut.ACCEPTEE


def test_personal_data_anonymised_after_the_retention(
    prescription, settings, django_capture_on_commit_callbacks
):
    settings.PRESCRIPTION_RETENTION_MONTHS = 24
    tick(30, django_capture_on_commit_callbacks)  # expires: closed on day 30
    days_kept = 30 * 24

    tick(30 + days_kept - 1, django_capture_on_commit_callbacks)
    assert Prescription.objects.get().anonymisee_le is None
    tick(30 + days_kept, django_capture_on_commit_callbacks)

    anonymised = Prescription.objects.get()
    assert anonymised.anonymisee_le is not None
    assert (anonymised.nom, anonymised.courriel, anonymised.motif) == ("Anonyme", "", "")
    assert anonymised.statut == Statut.EXPIREE  # the figures stay
    assert anonymised.service_id == prescription.service_id
