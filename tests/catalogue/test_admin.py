"""Structures edit their own listings in the Wagtail admin, and nothing else."""

import re

from django.core import mail

import pytest
import time_machine

from catalogue.models import Invitation, Membre, Service
from tests.factories import PASSWORD, MembreFactory, ServiceFactory, StructureFactory, UserFactory

pytestmark = pytest.mark.django_db

SERVICES = "/admin/snippets/catalogue/service/"
STRUCTURES = "/admin/snippets/catalogue/structure/"


@pytest.fixture
def membre_a():
    return MembreFactory(role=Membre.Role.MEMBRE)


@pytest.fixture
def service_a(membre_a):
    return ServiceFactory(structure=membre_a.structure, nom="Atelier CV de A")


@pytest.fixture
def service_b():
    return ServiceFactory(nom="Garage solidaire de B")


def test_a_member_lists_only_their_structure_services(client, membre_a, service_a, service_b):
    client.force_login(membre_a.user)
    html = client.get(SERVICES).content.decode()
    assert service_a.nom in html
    assert service_b.nom not in html


@pytest.mark.parametrize("view", ["edit", "delete", "history", "usage", "inspect", "revisions"])
def test_a_member_cannot_open_another_structure_service(client, membre_a, service_b, view):
    client.force_login(membre_a.user)
    url = (
        f"{SERVICES}{view}/{service_b.pk}/"
        if view != "revisions"
        else f"{SERVICES}history/{service_b.pk}/revisions/1/view/"
    )
    response = client.get(url)
    assert response.status_code in (302, 403, 404)
    assert service_b.nom not in response.content.decode()


def test_a_member_cannot_post_to_another_structure_service(client, membre_a, service_b):
    client.force_login(membre_a.user)
    response = client.post(f"{SERVICES}edit/{service_b.pk}/", {"nom": "Piraté"})
    assert response.status_code in (302, 403)
    service_b.refresh_from_db()
    assert service_b.nom == "Garage solidaire de B"


def _service_form(service, **changes):
    data = {
        "structure": service.structure_id,
        "statut": Service.Statut.PUBLIE,
        "nom": service.nom,
        "description": service.description,
        "type": "",
        "frais": "",
        "frais_precisions": "",
        "thematiques": service.thematiques,
        "frequence_maj": 3,
        "publics": service.publics,
        "publics_precisions": "",
        "conditions_acces": "",
        "zone_eligibilite": "13, 200054807",
        "modes_accueil": service.modes_accueil,
        "adresse": service.adresse,
        "complement_adresse": "",
        "code_postal": service.code_postal,
        "code_insee": service.code_insee,
        "commune": service.commune,
        "latitude": service.latitude,
        "longitude": service.longitude,
        "horaires_accueil": "",
        "volume_horaire_hebdomadaire": "",
        "nombre_semaines": "",
        "mobilisation_precisions": "",
        "lien_mobilisation": "",
        "contact_nom_prenom": "",
        "telephone": "",
        "courriel": "",
    }
    data.update(changes)
    return data


def test_a_member_edits_and_publishes_their_service_with_a_revision(client, membre_a, service_a):
    client.force_login(membre_a.user)
    response = client.post(
        f"{SERVICES}edit/{service_a.pk}/", _service_form(service_a, nom="Atelier CV et lettre")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    service_a.refresh_from_db()
    assert service_a.nom == "Atelier CV et lettre"
    assert service_a.zone_eligibilite == ["13", "200054807"]
    revision = service_a.revisions.get()
    assert revision.user == membre_a.user
    history = client.get(f"{SERVICES}history/{service_a.pk}/").content.decode()
    assert membre_a.user.get_full_name() in history


def test_bad_input_in_the_admin_is_explained_and_nothing_is_saved(client, membre_a, service_a):
    client.force_login(membre_a.user)
    response = client.post(
        f"{SERVICES}edit/{service_a.pk}/",
        _service_form(
            service_a, nom="Nouveau nom", code_postal="81000", zone_eligibilite="13, lune"
        ),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "ne dessert pas la commune" in html
    assert "lune" in html
    service_a.refresh_from_db()
    assert service_a.nom == "Atelier CV de A"


def test_a_member_cannot_create_a_service_for_another_structure(client, membre_a, service_b):
    client.force_login(membre_a.user)
    form = _service_form(service_b, nom="Service intrus")
    response = client.post(f"{SERVICES}add/", form)
    assert response.status_code == 200
    assert not Service.objects.filter(nom="Service intrus").exists()
    allowed = _service_form(service_b, nom="Nouveau service de A", structure=membre_a.structure_id)
    assert client.post(f"{SERVICES}add/", allowed).status_code == 302
    assert Service.objects.get(nom="Nouveau service de A").structure == membre_a.structure


def test_a_member_cannot_edit_the_structure_but_an_admin_can(client, membre_a):
    client.force_login(membre_a.user)
    assert client.get(f"{STRUCTURES}edit/{membre_a.structure_id}/").status_code in (302, 403)
    admin = MembreFactory(structure=membre_a.structure, role=Membre.Role.ADMIN)
    client.force_login(admin.user)
    assert client.get(f"{STRUCTURES}edit/{membre_a.structure_id}/").status_code == 200
    other = StructureFactory()
    assert client.get(f"{STRUCTURES}edit/{other.pk}/").status_code in (302, 403)


def test_a_member_cannot_delete_services_but_an_admin_can(client, membre_a, service_a):
    client.force_login(membre_a.user)
    client.post(f"{SERVICES}delete/{service_a.pk}/")
    assert Service.objects.filter(pk=service_a.pk).exists()
    admin = MembreFactory(structure=membre_a.structure, role=Membre.Role.ADMIN)
    client.force_login(admin.user)
    client.post(f"{SERVICES}delete/{service_a.pk}/")
    assert not Service.objects.filter(pk=service_a.pk).exists()


def test_a_user_without_structure_has_no_admin(client):
    client.force_login(UserFactory())
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.fixture
def invite(client, django_capture_on_commit_callbacks):
    """Invites `email` as the structure admin `admin` and returns the link of the e-mail sent."""

    def invite(admin, email, role="membre"):
        client.force_login(admin.user)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                f"/admin/membres/{admin.structure_id}/", {"email": email, "role": role}
            )
        assert response.status_code == 302
        assert mail.outbox[-1].to == [email.lower()]
        return re.search(r"http://testserver(/invitation/\S+/)", mail.outbox[-1].body).group(1)

    return invite


def test_admin_invites_and_the_invited_person_joins(client, invite):
    admin = MembreFactory(role=Membre.Role.ADMIN)
    link = invite(admin, "Nouvelle@Example.org")
    assert len(mail.outbox) == 1
    client.logout()
    page = client.get(link)
    assert "nouvelle@example.org" in page.content.decode()
    response = client.post(
        link, {"first_name": "Inès", "last_name": "Benali", "password": PASSWORD}
    )
    assert response.status_code == 302
    membre = Membre.objects.get(user__email="nouvelle@example.org")
    assert (membre.structure, membre.role) == (admin.structure, Membre.Role.MEMBRE)
    assert client.get(link).status_code == 400  # used once


def test_tampered_or_expired_invitation_links_do_nothing(client, invite):
    link = invite(MembreFactory(role=Membre.Role.ADMIN), "x@example.org", role="admin")
    client.logout()
    assert client.get(link[:-3] + "xx/").status_code == 400
    with time_machine.travel("2030-01-01"):
        response = client.get(link)
    assert response.status_code == 400
    assert "a expiré" in response.content.decode()
    assert not Membre.objects.filter(user__email="x@example.org").exists()
    assert Invitation.objects.get().acceptee_le is None


def test_invitation_for_someone_else_is_refused(client, invite):
    admin = MembreFactory(role=Membre.Role.ADMIN)
    link = invite(admin, "x@example.org")
    client.force_login(UserFactory(email="y@example.org"))
    assert client.get(link).status_code == 403
    assert not Membre.objects.filter(
        structure=admin.structure, user__email="y@example.org"
    ).exists()


def test_members_page_is_for_the_structure_admins_only(client, membre_a):
    client.force_login(membre_a.user)
    assert client.get(f"/admin/membres/{membre_a.structure_id}/").status_code == 404
    other_admin = MembreFactory(role=Membre.Role.ADMIN)
    client.force_login(other_admin.user)
    assert client.get(f"/admin/membres/{membre_a.structure_id}/").status_code == 404


def test_admin_removes_a_member_but_never_the_last_admin(client, membre_a):
    admin = MembreFactory(structure=membre_a.structure, role=Membre.Role.ADMIN)
    client.force_login(admin.user)
    client.post(f"/admin/membres/{admin.structure_id}/retirer/{membre_a.pk}/")
    assert not Membre.objects.filter(pk=membre_a.pk).exists()
    response = client.post(f"/admin/membres/{admin.structure_id}/retirer/{admin.pk}/", follow=True)
    assert "dernier administrateur" in response.content.decode()
    assert Membre.objects.filter(pk=admin.pk).exists()
