"""Every PDF the portal makes — the orientation's recap handed to the person, the fiche relais,
the list of who read a person's fiches — prints names in every script a French public service
meets as typed: the text read back from the PDF (pypdf) is the text written."""

import io

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from config.pdf import Document
from fiche_relais import services
from fiche_relais.models import Personne
from fiche_relais.template import empty_content
from tests import factories
from tests.utils.pdf import pdf_text

pytestmark = pytest.mark.django_db

VIETNAMIEN = "Nguyễn Thị Łucja"
POLONAIS = "Grzegorz Brzęczyszczykiewicz"
TURC = "Şükrü Çağlayan İğdır"
ARABE = "محمد عبد الله"
CYRILLIQUE = "Анна Кузнецова"
FRANCAIS = "Œuvre d’Élodie — « Noël » à Haÿ-les-Roses…"
# Arabic letters take their joined forms (initial, medial, final) only when shaped.
ARABIC_JOINED_FORMS = {"uniFEE3", "uniFEA4", "uniFEAA"}  # م initial, ح medial, د final


def _embedded_glyphs(content):
    """Names of the glyphs of the fonts embedded in the PDF."""
    names = set()
    for page in PdfReader(io.BytesIO(content)).pages:
        for font in page["/Resources"]["/Font"].values():
            descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            data = descriptor["/FontFile2"].get_data()
            names |= set(TTFont(io.BytesIO(data)).getGlyphOrder())
    return names


def _assert_printed_as_typed(content, *texts):
    printed = pdf_text(content)
    for text in texts:
        assert text in printed, f"{text!r} not in {printed!r}"


def test_the_document_prints_every_script_and_shapes_arabic():
    pdf = Document(FRANCAIS)
    for text in (VIETNAMIEN, POLONAIS, TURC, ARABE, CYRILLIQUE):
        pdf.line(text)
    content = pdf.bytes()

    _assert_printed_as_typed(content, FRANCAIS, VIETNAMIEN, POLONAIS, TURC, ARABE, CYRILLIQUE)
    assert _embedded_glyphs(content) >= ARABIC_JOINED_FORMS
    assert PdfReader(io.BytesIO(content)).metadata.title == FRANCAIS


def test_the_orientation_recap(client):
    prescripteur = factories.UserFactory(first_name="Анна", last_name="Кузнецова")
    service = factories.ServiceFactory(
        nom=FRANCAIS, structure=factories.StructureFactory(nom=TURC), conditions_acces=POLONAIS
    )
    prescription = factories.PrescriptionFactory(
        service=service, prescripteur=prescripteur, prenom="Nguyễn Thị", nom="Łucja",
        a_apporter=ARABE,
    )  # fmt: skip
    client.force_login(prescripteur)

    response = client.get(f"/prescriptions/{prescription.pk}/recapitulatif.pdf")

    assert response.status_code == 200
    _assert_printed_as_typed(
        response.content, FRANCAIS, TURC, f"Conditions d'accès : {POLONAIS}", VIETNAMIEN,
        ARABE, CYRILLIQUE,
    )  # fmt: skip


@pytest.mark.parametrize("public", [True, False])
def test_the_recap_handed_to_the_person_gives_only_a_public_contact(client, public):
    """The person is no professional: the service's contact only when public, else the
    structure's (catalogue.presentation.contact)."""
    service = factories.ServiceFactory(
        telephone="0491000001", courriel="equipe@service.example.org", contact_public=public,
        structure=factories.StructureFactory(telephone="0491999999", courriel="accueil@s.org"),
    )  # fmt: skip
    prescription = factories.PrescriptionFactory(service=service)
    client.force_login(prescription.prescripteur)

    printed = pdf_text(client.get(f"/prescriptions/{prescription.pk}/recapitulatif.pdf").content)

    assert ("0491000001" in printed) is public
    assert ("equipe@service.example.org" in printed) is public
    assert ("0491999999" in printed) is not public


@pytest.fixture
def fiche():
    auteur = factories.MembreFactory(
        user=factories.UserFactory(first_name="Анна", last_name="Кузнецова")
    ).user
    structure = auteur.memberships.get().structure
    personne = Personne.objects.create(
        prenom="Nguyễn Thị", nom="Łucja", commune_id="13005", cree_par=auteur
    )
    fiche = services.nouvelle_fiche(personne, auteur, structure)
    content = empty_content() | {"historique": ARABE, "preconisation": POLONAIS,
                                 "amont_qui": TURC, "objectif_quoi": FRANCAIS}  # fmt: skip
    services.enregistrer(fiche, content, auteur)
    return fiche


def test_the_fiche_relais(client, fiche):
    client.force_login(fiche.auteur)

    response = client.get(f"/parcours/fiches/{fiche.pk}/fiche.pdf")

    assert response.status_code == 200
    _assert_printed_as_typed(response.content, VIETNAMIEN, ARABE, POLONAIS, TURC, FRANCAIS,
                             CYRILLIQUE)  # fmt: skip


def test_who_read_the_fiches(client, fiche):
    services.lire(fiche, fiche.auteur)
    coordination = factories.CoordinationFactory(membres=[factories.UserFactory()]).membres.get()
    client.force_login(coordination)

    response = client.get(f"/parcours/personnes/{fiche.personne.pk}/consultations.pdf")

    assert response.status_code == 200
    _assert_printed_as_typed(response.content, VIETNAMIEN, CYRILLIQUE)
    assert "(version 1)" in pdf_text(response.content)
