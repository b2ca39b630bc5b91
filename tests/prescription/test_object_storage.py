"""Files on S3-compatible object storage (a real moto server): personal files are private
objects served only by the portal to entitled users, media only by short-lived signed URLs."""

from urllib.parse import parse_qs, urlsplit

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from wagtail.documents.models import Document

import pytest
import requests

from fiche_relais.models import Consentement, Personne
from prescription.models import Prescription
from tests.prescription.test_flow import PDF, send

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n0000"


def _keys(storage):
    listing = storage.client.list_objects_v2(Bucket=storage.bucket)
    return [item["Key"] for item in listing.get("Contents", [])]


def _assert_private(storage, key):
    """Nobody but the owner is granted anything, and an anonymous read is refused."""
    grants = storage.client.get_object_acl(Bucket=storage.bucket, Key=key)["Grants"]
    assert [grant["Grantee"]["Type"] for grant in grants] == ["CanonicalUser"]
    assert requests.get(f"{storage.endpoint}/{storage.bucket}/{key}", timeout=10).status_code == 403


def test_attachments_are_private_objects_served_to_entitled_users_only(
    object_storage, client, service, prescripteur, structure_member, outsider,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    client.force_login(prescripteur)
    upload = SimpleUploadedFile("attestation.pdf", PDF)
    send(client, service, django_capture_on_commit_callbacks, pieces_jointes=[upload])
    prescription = Prescription.objects.get()
    piece = prescription.pieces_jointes.get()
    url = f"/prescriptions/{prescription.pk}/pieces/{piece.pk}/"

    (key,) = _keys(object_storage)
    assert key.startswith("private/prescriptions/") and key.endswith(".pdf")
    _assert_private(object_storage, key)
    with pytest.raises(ValueError, match="servi par le portail"):
        piece.fichier.url  # noqa: B018
    assert b"".join(client.get(url).streaming_content) == PDF
    client.force_login(structure_member)
    assert b"".join(client.get(url).streaming_content) == PDF
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_consent_scans_are_private_objects(object_storage, prescripteur):
    personne = Personne.objects.create(
        nom="Durand", prenom="Inès", commune_id="13005", cree_par=prescripteur
    )
    consent = Consentement(
        personne=personne, mode=Consentement.Mode.SCAN, recueilli_par=prescripteur
    )
    consent.document.save("consentement.pdf", ContentFile(PDF))

    (key,) = _keys(object_storage)
    assert key.startswith("private/consentements/")
    _assert_private(object_storage, key)
    with Consentement.objects.get().document.open("rb") as scan:
        assert scan.read() == PDF


def test_media_are_private_objects_read_through_short_lived_signed_urls(object_storage):
    name = default_storage.save("original_images/accueil.png", ContentFile(PNG))

    _assert_private(object_storage, f"media/{name}")
    signed = default_storage.url(name)
    query = parse_qs(urlsplit(signed).query)
    assert signed.startswith(f"{object_storage.endpoint}/{object_storage.bucket}/media/")
    assert query["X-Amz-Expires"] == ["300"] and "X-Amz-Signature" in query
    assert requests.get(signed, timeout=10).content == PNG


def test_documents_are_streamed_by_the_portal(object_storage, client):
    document = Document.objects.create(title="Livret", file=ContentFile(PDF, name="livret.pdf"))

    _assert_private(object_storage, f"media/{document.file.name}")
    response = client.get(document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
