"""The contact a reader is given: the service's to professionals, to everyone when public,
else the structure's public contact — never the service's private one to anyone else."""

import pytest

from catalogue.presentation import contact
from tests.factories import ServiceFactory, UserFactory
from tests.partage.conftest import (
    PRIVATE_EMAIL,
    PRIVATE_PHONE,
    STRUCTURE_EMAIL,
    STRUCTURE_PHONE,
)

pytestmark = pytest.mark.django_db


def test_a_private_contact_gives_the_structure_s_public_one_to_anyone_else(private_service):
    given = contact(private_service, professional=False)

    assert given.de_la_structure
    assert (given.telephone, given.courriel) == (STRUCTURE_PHONE, STRUCTURE_EMAIL)
    assert given.adresse == "5 boulevard National, 13001 Marseille"
    assert given.nom == ""
    assert PRIVATE_PHONE not in given.lines and PRIVATE_EMAIL not in " ".join(given.lines)


def test_a_professional_gets_the_service_s_contact_and_name(private_service):
    given = contact(private_service, professional=True)

    assert not given.de_la_structure
    assert (given.telephone, given.courriel, given.nom) == (
        PRIVATE_PHONE,
        PRIVATE_EMAIL,
        "Nadia Haddad",
    )


def test_a_public_contact_is_the_service_s_without_the_name():
    service = ServiceFactory(contact_public=True)

    given = contact(service, professional=False)

    assert (given.telephone, given.courriel, given.nom) == (service.telephone, service.courriel, "")
    assert not given.de_la_structure


def test_a_service_without_phone_nor_e_mail_gives_its_structure_s(private_service):
    private_service.telephone = private_service.courriel = ""
    private_service.contact_public = True

    assert contact(private_service, professional=True).telephone == STRUCTURE_PHONE


def test_the_public_service_page_shows_the_structure_s_contact(client, private_service):
    html = client.get(f"/services/{private_service.pk}/").content.decode()

    assert STRUCTURE_PHONE in html
    assert STRUCTURE_EMAIL in html
    assert "Adresse de la structure :</strong> 5 boulevard National, 13001 Marseille" in html
    assert "Contact de la structure, Association Tremplin Sud" in html
    assert PRIVATE_PHONE not in html
    assert PRIVATE_EMAIL not in html
    assert "Nadia Haddad" not in html


def test_the_service_page_shows_the_service_s_contact_to_professionals(client, private_service):
    client.force_login(UserFactory())
    html = client.get(f"/services/{private_service.pk}/").content.decode()

    assert PRIVATE_PHONE in html and PRIVATE_EMAIL in html and "Nadia Haddad" in html
    assert "Contact de la structure" not in html
