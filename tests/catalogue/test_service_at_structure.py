"""An on-site service without an address of its own is found and shown at its structure's."""

import json

import pytest

from catalogue import importer
from catalogue.models import Service
from tests.catalogue.test_importer import SERVICE, STRUCTURE

pytestmark = pytest.mark.django_db


def import_with_structure(tmp_path, service):
    structures = tmp_path / "structures.json"
    structures.write_text(json.dumps([STRUCTURE]), encoding="utf-8")
    services = tmp_path / "services.jsonl"
    services.write_text(json.dumps(service) + "\n", encoding="utf-8")
    importer.import_structures(structures)
    return importer.import_services(services)


def test_the_import_report_warns_about_on_site_services_without_address(tmp_path):
    report = import_with_structure(tmp_path, SERVICE)  # en présentiel and à distance, no address

    assert report.crees == 1
    assert report.avertissements == [
        "1 service(s) en présentiel sans adresse ni coordonnées : cherchés et affichés à "
        "l'adresse de leur structure (dora--service-1)."
    ]
    service = Service.objects.get()
    assert (service.latitude, service.au_lieu_de_la_structure) == (None, True)


def test_a_remote_only_service_without_address_is_no_warning(tmp_path):
    report = import_with_structure(tmp_path, SERVICE | {"modes_accueil": ["a-distance"]})

    assert report.avertissements == []
    assert Service.objects.get().au_lieu_de_la_structure is False


def test_its_page_shows_the_structure_address_and_map(tmp_path, client):
    import_with_structure(tmp_path, SERVICE)

    html = client.get(Service.objects.get().get_absolute_url()).content.decode()

    assert "Adresse (celle de la structure) :</strong> 3 rue de la Paix, 81000 Albi" in html
    assert 'data-portail-lat="43.928000"' in html
    assert "emplacement de la structure (le service n'a pas d'adresse propre)" in html
