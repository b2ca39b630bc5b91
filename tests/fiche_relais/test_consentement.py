"""Consent: withdrawn from the person's page (who, when, why) with its effects; a scanned
proof is a PDF, JPEG or PNG by its content, 5 MB at most, shown back to the entitled only."""

from django.core.files.uploadedfile import SimpleUploadedFile

import pytest

from fiche_relais.models import Consentement
from tests.fiche_relais.test_fiche_relais import sent

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_the_referent_withdraws_the_consent_and_its_effects_show(client, world, mails):
    fiche = sent(world, mails, destinataire=world.referent_arrivee)
    client.force_login(world.referent_arrivee)
    assert client.get(fiche.get_absolute_url()).status_code == 200
    personne_url = world.personne.get_absolute_url()
    client.force_login(world.referent_depart)

    response = client.post(
        f"{personne_url}consentements/{world.consentement.pk}/revoquer/",
        {"motif_revocation": "Ne souhaite plus que la mission locale soit informée."},
    )

    assert response["Location"] == personne_url
    consent = Consentement.objects.get(pk=world.consentement.pk)
    assert consent.revoque_le and consent.revoque_par == world.referent_depart
    assert consent.motif_revocation.startswith("Ne souhaite plus")
    page = client.get(personne_url).content.decode()
    assert "Révoqué le" in page and "Ne souhaite plus" in page
    assert "son destinataire ne lit plus la fiche relais envoyée avec ce consentement" in page
    client.force_login(world.referent_arrivee)
    assert client.get(fiche.get_absolute_url()).status_code == 404  # the effect


@pytest.mark.parametrize("who, status", [("coordinateur", 302), ("collegue_depart", 404),
                                         ("inconnu", 404), ("coordinateur_var", 404)])  # fmt: skip
def test_who_may_withdraw(client, world, who, status):
    client.force_login(getattr(world, who))
    response = client.post(
        f"{world.personne.get_absolute_url()}consentements/{world.consentement.pk}/revoquer/",
        {"motif_revocation": "m"},
    )
    assert response.status_code == status
    world.consentement.refresh_from_db()
    assert (world.consentement.revoque_le is not None) is (status == 302)


def _upload(client, world, name, content):
    client.force_login(world.referent_depart)
    return client.post(
        f"{world.personne.get_absolute_url()}consentement/",
        {"mode": "scan", "portee": "p", "document": SimpleUploadedFile(name, content)},
        follow=True,
    )


@pytest.mark.parametrize("name, content, message", [
    ("consentement.pdf", b"<html><script>alert(1)</script></html>", "PDF, JPEG ou PNG valide"),
    ("consentement.pdf", b"MZ\x90\x00" + b"\x00" * 1000, "PDF, JPEG ou PNG valide"),
    ("scan.pdf", PDF + b"0" * (5 * 2**20), "dépasse 5 Mo"),
])  # fmt: skip
def test_a_scanned_proof_is_a_pdf_jpeg_or_png_of_5_mb_at_most(
    client, world, name, content, message
):
    response = _upload(client, world, name, content)

    assert message in response.content.decode()
    assert not Consentement.objects.filter(mode=Consentement.Mode.SCAN).exists()


def test_a_scanned_proof_with_a_long_dotted_name_is_stored_under_a_name_of_our_own(client, world):
    name = "scan.du.consentement." + "tres-long-" * 30 + ".v2.final.png"

    response = _upload(client, world, name, PNG)

    assert response.status_code == 200
    stored = Consentement.objects.get(mode=Consentement.Mode.SCAN).document.name
    assert stored.endswith(".png") and "scan" not in stored and len(stored) < 100


def test_a_scanned_proof_is_shown_back_to_the_entitled_only(client, world):
    _upload(client, world, "scan.png", PNG)
    consent = Consentement.objects.get(mode=Consentement.Mode.SCAN)
    url = f"{world.personne.get_absolute_url()}consentements/{consent.pk}/document/"
    assert url in client.get(world.personne.get_absolute_url()).content.decode()

    shown = client.get(url)
    assert shown.status_code == 200 and shown["Content-Type"] == "image/png"
    assert b"".join(shown.streaming_content) == PNG
    assert "no-store" in shown["Cache-Control"]
    for who in ("coordinateur",):
        client.force_login(getattr(world, who))
        assert client.get(url).status_code == 200
    for who in ("inconnu", "collegue_depart", "coordinateur_var", "referent_arrivee"):
        client.force_login(getattr(world, who))
        assert client.get(url).status_code == 404, who
