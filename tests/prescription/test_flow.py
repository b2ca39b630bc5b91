"""Sending a prescription, answering it from the e-mailed link, and what each side sees."""

import re
from datetime import timedelta

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

import pytest
import time_machine

from catalogue.models import Service
from prescription.models import PieceJointe, Prescription, Statut
from tests.prescription.conftest import form_data, zip_bomb

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def send(client, service, captured, **overrides):
    with captured(execute=True):
        return client.post(f"/services/{service.pk}/orienter/", form_data(**overrides))


def link_in(message):
    return re.search(r"http://testserver(/prescriptions/reponse/[^/\s]+/)", message.body).group(1)


def test_prescripteur_sends_structure_and_person_are_told(
    client, service, prescripteur, django_capture_on_commit_callbacks
):
    client.force_login(prescripteur)
    response = send(client, service, django_capture_on_commit_callbacks)

    prescription = Prescription.objects.get()
    assert (
        response.status_code == 302 and response["Location"] == f"/prescriptions/{prescription.pk}/"
    )
    assert prescription.statut == Statut.ENVOYEE
    assert prescription.commune_id == "13005"
    assert prescription.freins == ["mobilite", "garde-enfants"]
    assert prescription.consentement_par == prescripteur and prescription.consentement_le
    assert prescription.structure_prescriptrice.nom == "France Travail Aubagne"
    # 15 days from the day it was sent, in Paris (not UTC: at 23:30 UTC it is the next day).
    sent_on = timezone.localdate(prescription.envoyee_le)
    assert prescription.rdv_attendu_avant == sent_on + timedelta(days=15)
    to_structure, to_person = mail.outbox
    assert to_structure.to == ["accueil@permis.example.org"]
    assert "Léa Martin" in to_structure.body and link_in(to_structure)
    assert to_structure.alternatives[0][1] == "text/html"
    assert to_person.to == ["lea.martin@example.org"]
    assert "avant le" in to_person.body


def test_structure_answers_through_the_link_then_fixes_the_appointment(
    client, service, prescripteur, django_capture_on_commit_callbacks
):
    client.force_login(prescripteur)
    send(client, service, django_capture_on_commit_callbacks)
    link = link_in(mail.outbox[0])
    client.logout()
    mail.outbox.clear()

    page = client.get(link)
    assert page.status_code == 200
    assert "1234567A" not in page.content.decode()  # France Travail id: only once accepted
    with django_capture_on_commit_callbacks(execute=True):
        client.post(link, {"action": "accepter", "message_prescripteur": "Bien reçu."})
    assert "1234567A" in client.get(link).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(link, {
            "action": "fixer_rdv", "rdv_le": "2026-12-03T10:30", "rdv_lieu": "12 rue de la République",
            "a_apporter": "Pièce d'identité",
        })  # fmt: skip

    prescription = Prescription.objects.get()
    assert prescription.statut == Statut.RDV_FIXE
    assert [t.via for t in prescription.transitions.all()] == ["compte", "lien signé", "lien signé"]
    subjects = [m.subject for m in mail.outbox]
    assert "Prescription acceptée : Aide au permis" in subjects
    assert "Rendez-vous fixé : Aide au permis" in subjects
    client.force_login(prescripteur)
    detail = client.get(f"/prescriptions/{prescription.pk}/").content.decode()
    assert "Rendez-vous fixé" in detail and "12 rue de la République" in detail


def test_accepting_twice_says_so_without_error(
    client, service, prescripteur, django_capture_on_commit_callbacks
):
    client.force_login(prescripteur)
    send(client, service, django_capture_on_commit_callbacks)
    link = link_in(mail.outbox[0])
    client.logout()

    client.post(link, {"action": "accepter"})
    response = client.post(link, {"action": "accepter"}, follow=True)

    assert response.status_code == 200
    assert "déjà « Acceptée »" in response.content.decode()
    assert Prescription.objects.get().transitions.count() == 2


def test_tampered_link_does_nothing(
    client, service, prescripteur, django_capture_on_commit_callbacks
):
    client.force_login(prescripteur)
    send(client, service, django_capture_on_commit_callbacks)
    link = link_in(mail.outbox[0])
    client.logout()
    tampered = link[:-3] + ("a" if link[-3] != "a" else "b") + link[-2:]

    response = client.post(tampered, {"action": "accepter"})

    assert response.status_code == 400
    assert "n'est pas valide" in response.content.decode()
    assert Prescription.objects.get().statut == Statut.ENVOYEE


def test_expired_link_can_be_renewed(
    client, service, prescripteur, django_capture_on_commit_callbacks
):
    client.force_login(prescripteur)
    send(client, service, django_capture_on_commit_callbacks)
    link = link_in(mail.outbox[0])
    client.logout()
    mail.outbox.clear()

    with time_machine.travel(timedelta(days=9)):
        expired = client.get(link)
        assert expired.status_code == 400 and "a expiré" in expired.content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            renewed = client.post(link, {"action": "accepter"})  # renews, does not act
        assert renewed.status_code == 200
        assert Prescription.objects.get().statut == Statut.ENVOYEE
        new_link = link_in(mail.outbox[-1])
        assert client.get(new_link).status_code == 200

        with django_capture_on_commit_callbacks(execute=True):
            again = client.post(link)
        assert again.status_code == 429 and "il y a moins d'une heure" in again.content.decode()
        assert len(mail.outbox) == 1
    with time_machine.travel(timedelta(days=9, hours=2)):
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(link).status_code == 200
        assert len(mail.outbox) == 2


def test_missing_consent_keeps_what_was_typed(
    client, service, prescripteur, django_capture_on_commit_callbacks
):
    client.force_login(prescripteur)
    response = send(client, service, django_capture_on_commit_callbacks, consentement=None)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Sans l&#x27;accord de la personne" in html
    assert 'value="Martin"' in html and "Financer le permis B" in html
    assert not Prescription.objects.exists() and not mail.outbox


def test_same_idempotency_key_gives_one_prescription(
    client, service, prescripteur, django_capture_on_commit_callbacks
):
    client.force_login(prescripteur)
    data = form_data()
    client.post(f"/services/{service.pk}/orienter/", data)
    client.post(f"/services/{service.pk}/orienter/", data)

    assert Prescription.objects.count() == 1


def test_open_prescription_on_same_thematique_needs_a_confirmation(
    client, service, prescripteur, django_capture_on_commit_callbacks
):
    from tests.factories import ServiceFactory

    other = ServiceFactory(thematiques=["mobilite--acceder-a-un-vehicule"])
    client.force_login(prescripteur)
    send(client, service, django_capture_on_commit_callbacks)

    warned = send(client, other, django_capture_on_commit_callbacks)
    assert "déjà une prescription en cours" in warned.content.decode()
    assert Prescription.objects.count() == 1
    send(client, other, django_capture_on_commit_callbacks, confirmer_doublon="on")
    assert Prescription.objects.count() == 2


@pytest.mark.parametrize(
    "files, message",
    [
        (
            [("cv.pdf", b"ceci n'est pas un PDF")],
            "n'est pas un fichier PDF, JPEG, PNG, ODT ou DOCX valide : enregistrez-le dans l'un "
            "de ces formats, puis joignez-le à nouveau.",
        ),
        (
            [("gros.pdf", PDF + b"0" * (5 * 1024 * 1024))],
            "« gros.pdf » dépasse 5 Mo : enregistrez-le en PDF ou en image moins lourde, puis "
            "joignez-le à nouveau.",
        ),
        ([(f"f{n}.pdf", PDF) for n in range(4)], "3 pièces jointes au plus"),
        (
            [("lettre.odt", zip_bomb("content.xml", expanded_mb=60))],
            "« lettre.odt » occuperait plus de 50 Mo une fois ouvert : enregistrez-le en PDF, "
            "puis joignez-le à nouveau.",
        ),
    ],
    ids=["not-a-pdf", "too-big", "too-many", "zip-bomb"],
)
def test_bad_attachments_are_refused_and_must_be_attached_again(
    client, service, prescripteur, files, message
):
    client.force_login(prescripteur)
    uploads = [SimpleUploadedFile(name, content) for name, content in files]

    response = client.post(
        f"/services/{service.pk}/orienter/", form_data(pieces_jointes=uploads), follow=True
    )

    html = response.content.decode()
    assert message.replace("'", "&#x27;") in html
    assert "joignez à nouveau vos fichiers" in html
    assert "Financer le permis B pour accepter un poste" in html  # the form is kept
    assert not Prescription.objects.exists()


def test_a_long_file_name_with_several_dots_is_kept_for_display_only(
    client, service, prescripteur, django_capture_on_commit_callbacks
):
    name = "Attestation.CAF.de.Mme.Nguyễn." + "scan." * 40 + "v2.final.pdf"
    client.force_login(prescripteur)

    response = send(client, service, django_capture_on_commit_callbacks,
                    pieces_jointes=[SimpleUploadedFile(name, PDF)])  # fmt: skip

    piece = PieceJointe.objects.get()
    assert response.status_code == 302
    assert piece.nom == name
    assert re.fullmatch(r"prescriptions/\d{4}/\d{2}/[0-9a-f]{32}\.pdf", piece.fichier.name)
    download = client.get(f"/prescriptions/{piece.prescription_id}/pieces/{piece.pk}/")
    assert b"".join(download.streaming_content) == PDF
    assert "v2.final.pdf" in download["Content-Disposition"]


def test_a_storage_failure_keeps_the_form_and_sends_nothing(
    client, service, prescripteur, monkeypatch
):
    def disk_full(name, content):
        raise OSError(28, "No space left on device")

    # The storage the field writes to (another test may have rebuilt `storages` since).
    storage = PieceJointe._meta.get_field("fichier").storage
    monkeypatch.setattr(storage, "_save", disk_full)
    client.force_login(prescripteur)

    response = client.post(
        f"/services/{service.pk}/orienter/",
        form_data(pieces_jointes=[SimpleUploadedFile("cv.pdf", PDF)]),
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert (
        "Les pièces jointes n&#x27;ont pas pu être enregistrées et rien n&#x27;a été envoyé" in html
    )
    assert "Financer le permis B pour accepter un poste" in html
    assert not Prescription.objects.exists() and not mail.outbox


def test_good_attachments_are_kept_and_served_to_entitled_users_only(
    client, service, prescripteur, structure_member, outsider, django_capture_on_commit_callbacks
):
    client.force_login(prescripteur)
    uploads = [
        SimpleUploadedFile("attestation.pdf", PDF),
        SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n0000"),
    ]
    send(client, service, django_capture_on_commit_callbacks, pieces_jointes=uploads)
    prescription = Prescription.objects.get()
    piece = prescription.pieces_jointes.get(nom="attestation.pdf")
    url = f"/prescriptions/{prescription.pk}/pieces/{piece.pk}/"

    assert {p.type for p in PieceJointe.objects.all()} == {"application/pdf", "image/png"}
    assert b"".join(client.get(url).streaming_content) == PDF
    client.force_login(structure_member)
    assert client.get(url).status_code == 200
    client.force_login(outsider)
    assert client.get(url).status_code == 404


def test_suspended_service_cannot_be_prescribed(client, service, prescripteur):
    Service.objects.filter(pk=service.pk).update(statut=Service.Statut.SUSPENDU)
    client.force_login(prescripteur)

    response = client.post(f"/services/{service.pk}/orienter/", form_data())

    assert response.status_code == 409
    assert "ne peut pas recevoir de prescription" in response.content.decode()
    assert not Prescription.objects.exists()


def test_unknown_service_is_a_404(client, prescripteur):
    client.force_login(prescripteur)
    assert client.get("/services/999999/orienter/").status_code == 404


def test_previous_prescription_prefills_the_form(
    client, service, prescripteur, django_capture_on_commit_callbacks
):
    client.force_login(prescripteur)
    send(client, service, django_capture_on_commit_callbacks)
    previous = Prescription.objects.get()

    html = client.get(f"/services/{service.pk}/orienter/?depuis={previous.pk}").content.decode()

    assert 'value="Martin"' in html and 'value="Léa"' in html and 'value="13005"' in html


def test_pdf_recap_for_the_person(
    client, service, prescripteur, django_capture_on_commit_callbacks
):
    client.force_login(prescripteur)
    send(client, service, django_capture_on_commit_callbacks)

    response = client.get(f"/prescriptions/{Prescription.objects.get().pk}/recapitulatif.pdf")

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_lists_put_late_first_and_export_csv(client, prescripteur):
    from django.utils import timezone

    from tests.factories import PrescriptionFactory

    recent = PrescriptionFactory(prescripteur=prescripteur, nom="Récente")
    late = PrescriptionFactory(
        prescripteur=prescripteur, nom="Enretard", envoyee_le=timezone.now() - timedelta(days=20)
    )
    client.force_login(prescripteur)

    html = client.get("/prescriptions/").content.decode()
    csv_text = client.get("/prescriptions/?format=csv").content.decode("utf-8-sig")

    assert late.en_retard and not recent.en_retard
    assert html.index("Enretard") < html.index("Récente")
    assert csv_text.splitlines()[0].startswith("id;envoyée le;statut")
    assert len(csv_text.splitlines()) == 3


def test_received_dashboard_counts_delay_and_acceptance_per_service(
    client, service, structure_member
):
    from django.utils import timezone

    from prescription import services as prescription_services
    from prescription import states
    from tests.factories import PrescriptionFactory

    sent = timezone.now() - timedelta(days=3)
    accepted, refused, waiting = (
        PrescriptionFactory(service=service, envoyee_le=sent) for _ in range(3)
    )
    prescription_services.act(accepted, "accepter", actor=states.STRUCTURE)
    prescription_services.act(
        refused, "refuser", actor=states.STRUCTURE, motif_refus="plus-de-places"
    )
    client.force_login(structure_member)

    html = client.get("/prescriptions/recues/").content.decode()

    assert "<td>Aide au permis</td><td>3</td><td>3 j 0 h</td><td>33 %</td>" in html
    assert waiting.prenom in html


def test_the_form_shows_the_services_conditions_escaped(client, service, prescripteur):
    Service.objects.filter(pk=service.pk).update(conditions_acces="Avoir <b>18 ans</b> & plus.")
    client.force_login(prescripteur)

    html = client.get(f"/services/{service.pk}/orienter/").content.decode()

    start = html.index('for="id_conditions_remplies"')
    label = html[start : html.index("</label>", start)]
    assert "Avoir &lt;b&gt;18 ans&lt;/b&gt; &amp; plus." in label
    assert 'aria-describedby="id_conditions_remplies_helptext"' in html


@pytest.mark.parametrize("action", ["annuler", "refuser"])
def test_a_closed_prescription_s_link_shows_its_state_and_not_the_person(
    client, service, prescripteur, django_capture_on_commit_callbacks, action
):
    client.force_login(prescripteur)
    send(client, service, django_capture_on_commit_callbacks)
    link = link_in(mail.outbox[0])
    prescription = Prescription.objects.get()
    piece = PieceJointe.objects.create(
        prescription=prescription, fichier=SimpleUploadedFile("a.pdf", PDF), nom="a.pdf",
        type="application/pdf", taille=len(PDF),
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        if action == "annuler":
            client.post(
                f"/prescriptions/{prescription.pk}/actions/annuler/",
                {"message": "Plus besoin.", "confirmer": "on"},
            )
        else:
            client.post(link, {"action": "refuser", "motif_refus": "plus-de-places"})
    client.logout()

    page = client.get(link).content.decode()

    prescription.refresh_from_db()
    assert prescription.statut == {"annuler": Statut.ANNULEE, "refuser": Statut.REFUSEE}[action]
    assert prescription.get_statut_display().lower() in page
    assert "Léa" not in page and "Martin" not in page and "06 00" not in page
    assert client.get(f"{link}pieces/{piece.pk}/").status_code == 404
    with time_machine.travel(timezone.now() + timedelta(days=60)):
        assert "Léa" not in client.post(link).content.decode()  # no new link for a closed one
