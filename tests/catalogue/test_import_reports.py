"""Each import leaves a report that platform admins read in the Wagtail admin, and nobody edits."""

import json

import pytest

from catalogue import importer
from catalogue.models import Membre, RapportImport
from tests.factories import MembreFactory, UserFactory

pytestmark = pytest.mark.django_db

REPORTS = "/admin/rapports-import/"


@pytest.fixture
def report(tmp_path):
    path = tmp_path / "structures.jsonl"
    path.write_text(json.dumps({"source": "dora", "id": "dora--1", "nom": "AB"}) + "\n")
    return importer.import_structures(path)


def test_an_admin_reads_the_report_of_a_run(client, report):
    client.force_login(UserFactory(is_superuser=True))

    listing = client.get(REPORTS).content.decode()
    page = client.get(f"{REPORTS}inspect/{report.pk}/").content.decode()

    assert "structures.jsonl" in listing and "Terminé" in listing
    assert (
        "ligne 1 — id dora--1 — <strong>nom</strong> : trop court (au moins 3 caractères)" in page
    )
    assert "<strong>date_maj</strong> : champ obligatoire manquant" in page


def test_nobody_edits_or_deletes_a_report(client, report):
    client.force_login(UserFactory(is_superuser=True))

    assert client.get(f"{REPORTS}new/").status_code in {302, 403}
    assert client.get(f"{REPORTS}edit/{report.pk}/").status_code in {302, 403}
    assert client.post(f"{REPORTS}delete/{report.pk}/").status_code in {302, 403}
    assert RapportImport.objects.filter(pk=report.pk).exists()


def test_a_structure_member_does_not_see_the_reports(client, report):
    client.force_login(MembreFactory(role=Membre.Role.ADMIN).user)

    assert client.get(REPORTS).status_code in {302, 403}
    assert client.get(f"{REPORTS}inspect/{report.pk}/").status_code in {302, 403}
    assert "Imports data·inclusion" not in client.get("/admin/").content.decode()
