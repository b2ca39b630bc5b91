"""An appointment typed 10:00 by a structure in Martinique is 10:00 in Fort-de-France."""

import io
from datetime import UTC, datetime

from django.core import mail

import pytest
from pypdf import PdfReader

from catalogue.models import Structure
from prescription.models import Prescription
from territoires import fuseaux
from tests.factories import ServiceFactory, StructureFactory
from tests.prescription.test_flow import link_in, send

pytestmark = pytest.mark.django_db

FORT_DE_FRANCE = {
    "code_insee": "97209", "code_postal": "97200", "commune": "Fort-de-France",
    "latitude": 14.6027, "longitude": -61.0676,
}  # fmt: skip
TEN_IN_FORT_DE_FRANCE = "jeudi 3 décembre 2026 à 10h00 (heure de la Martinique)"


@pytest.mark.parametrize(
    ("departement", "zone"),
    [("972", "America/Martinique"), ("971", "America/Guadeloupe"), ("973", "America/Cayenne"),
     ("974", "Indian/Reunion"), ("976", "Indian/Mayotte"), ("13", "Europe/Paris"),
     ("2A", "Europe/Paris"), ("", "Europe/Paris")],
)  # fmt: skip
def test_the_time_zone_follows_the_departement(departement, zone):
    assert str(fuseaux.of_departement(departement)) == zone


def test_a_structure_takes_the_zone_of_its_commune_or_postal_code():
    assert str(Structure(**FORT_DE_FRANCE).fuseau_horaire) == "America/Martinique"
    assert str(Structure(code_postal="97400").fuseau_horaire) == "Indian/Reunion"
    assert str(Structure(code_insee="13005").fuseau_horaire) == "Europe/Paris"


def test_an_appointment_at_ten_in_fort_de_france(
    client, prescripteur, django_capture_on_commit_callbacks
):
    structure = StructureFactory(**FORT_DE_FRANCE)
    service = ServiceFactory(
        structure=structure, nom="Aide au permis", courriel="accueil@permis.example.org",
        **FORT_DE_FRANCE,
    )  # fmt: skip
    client.force_login(prescripteur)
    send(client, service, django_capture_on_commit_callbacks)
    link = link_in(mail.outbox[0])
    client.logout()
    client.post(link, {"action": "accepter"})
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            link, {"action": "fixer_rdv", "rdv_le": "2026-12-03T10:00", "rdv_lieu": "Mairie"}
        )

    prescription = Prescription.objects.get()
    assert prescription.rdv_le == datetime(2026, 12, 3, 14, 0, tzinfo=UTC)  # UTC−4
    assert all(TEN_IN_FORT_DE_FRANCE in message.body for message in mail.outbox)
    assert len(mail.outbox) == 2
    client.force_login(prescripteur)
    assert TEN_IN_FORT_DE_FRANCE in client.get(prescription.get_absolute_url()).content.decode()
    pdf = client.get(f"{prescription.get_absolute_url()}recapitulatif.pdf").content
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert TEN_IN_FORT_DE_FRANCE in " ".join(text.split())


def test_in_paris_time_the_zone_is_not_said():
    instant = datetime(2026, 12, 3, 9, 30, tzinfo=UTC)

    assert fuseaux.local_text(instant, fuseaux.of_departement("13")) == (
        "jeudi 3 décembre 2026 à 10h30"
    )
