"""A professional without a structure asks to join one; its admins accept or refuse."""

from django.core import mail

import pytest

from catalogue.models import DemandeAdhesion, Membre
from tests.factories import MembreFactory, StructureFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def structure():
    return StructureFactory(nom="Mission locale du Vieux-Port")


@pytest.fixture
def admin(structure):
    return MembreFactory(structure=structure, role=Membre.Role.ADMIN,
                         user__email="referente@mission-locale.fr").user  # fmt: skip


@pytest.fixture
def newcomer(client):
    user = UserFactory(email="nouveau@mission-locale.fr", first_name="Yanis", last_name="Benali")
    client.force_login(user)
    return user


def test_a_professional_without_structure_is_guided_to_find_and_join_it(
    client, newcomer, structure, admin, mails
):
    StructureFactory(nom="Atelier vélo solidaire")
    page = client.get("/comptes/").content.decode()
    assert "Rejoignez votre structure" in page

    found = client.get("/comptes/", {"q": "vieux-port"}).content.decode()
    assert structure.nom in found and "Atelier vélo" not in found

    with mails(execute=True) as sent:
        response = client.post(f"/comptes/rejoindre/{structure.pk}/",
                               {"message": "Je suis conseiller depuis lundi."})  # fmt: skip
    assert response["Location"] == "/comptes/"
    demande = DemandeAdhesion.objects.get()
    assert (demande.user, demande.structure, demande.decidee_le) == (newcomer, structure, None)
    assert [m.to for m in mail.outbox] == [["referente@mission-locale.fr"]]
    assert "Je suis conseiller depuis lundi." in mail.outbox[0].body
    assert f"/admin/membres/{structure.pk}/" in mail.outbox[0].body
    assert len(sent) == 1
    assert "Mes demandes en attente" in client.get("/comptes/").content.decode()


def test_a_second_request_while_one_is_pending_is_refused_with_a_message(
    client, newcomer, structure, admin
):
    client.post(f"/comptes/rejoindre/{structure.pk}/")

    response = client.post(f"/comptes/rejoindre/{structure.pk}/", follow=True)

    assert DemandeAdhesion.objects.count() == 1
    assert "est déjà en attente" in response.content.decode()


def test_the_admin_accepts_and_the_professional_becomes_a_member(
    client, newcomer, structure, admin, mails
):
    client.post(f"/comptes/rejoindre/{structure.pk}/")
    demande = DemandeAdhesion.objects.get()
    client.force_login(admin)
    assert "Yanis Benali" in client.get(f"/admin/membres/{structure.pk}/").content.decode()

    with mails(execute=True):
        client.post(f"/admin/membres/{structure.pk}/demandes/{demande.pk}/",
                    {"decision": "accepter"})  # fmt: skip

    assert Membre.objects.filter(user=newcomer, structure=structure, role="membre").exists()
    assert mail.outbox[-1].to == ["nouveau@mission-locale.fr"]
    assert "a été acceptée" in mail.outbox[-1].body
    refused_twice = client.post(f"/admin/membres/{structure.pk}/demandes/{demande.pk}/",
                                {"decision": "refuser"}, follow=True)  # fmt: skip
    assert "déjà été traitée" in refused_twice.content.decode()
    assert Membre.objects.filter(user=newcomer).exists()


def test_the_admin_refuses_and_nobody_joins(client, newcomer, structure, admin, mails):
    client.post(f"/comptes/rejoindre/{structure.pk}/")
    demande = DemandeAdhesion.objects.get()
    client.force_login(admin)

    with mails(execute=True):
        client.post(f"/admin/membres/{structure.pk}/demandes/{demande.pk}/",
                    {"decision": "refuser"})  # fmt: skip

    demande.refresh_from_db()
    assert demande.acceptee is False and demande.decidee_par == admin
    assert not Membre.objects.filter(user=newcomer).exists()
    assert "a été refusée" in mail.outbox[-1].body


def test_nobody_else_decides_a_request(client, newcomer, structure, admin):
    client.post(f"/comptes/rejoindre/{structure.pk}/")
    demande = DemandeAdhesion.objects.get()
    other_admin = MembreFactory(role=Membre.Role.ADMIN).user
    member = MembreFactory(structure=structure).user

    for intruder in (newcomer, other_admin, member):
        client.force_login(intruder)
        response = client.post(f"/admin/membres/{structure.pk}/demandes/{demande.pk}/",
                               {"decision": "accepter"})  # fmt: skip
        assert response.status_code in (302, 403, 404)
        assert not response.get("Location", "").endswith(f"/admin/membres/{structure.pk}/")

    demande.refresh_from_db()
    assert demande.decidee_le is None
    assert not Membre.objects.filter(user=newcomer).exists()


def test_a_structure_without_admin_sends_requests_to_the_gestionnaires(
    client, newcomer, structure, mails
):
    UserFactory(email="gestion@portail.gouv.fr", is_superuser=True, is_staff=True)
    UserFactory(email="autre@example.org")

    with mails(execute=True):
        client.post(f"/comptes/rejoindre/{structure.pk}/")

    assert [m.to for m in mail.outbox] == [["gestion@portail.gouv.fr"]]
    assert "n'a pas encore d'administrateur" in mail.outbox[0].body


def test_a_member_sees_their_structures_instead_of_the_invitation_to_join(client, structure):
    member = MembreFactory(structure=structure).user
    client.force_login(member)

    page = client.get("/comptes/").content.decode()

    assert "Mes structures" in page and structure.nom in page
    assert "Rejoignez votre structure" not in page


def test_an_unpublished_structure_cannot_be_joined(client, newcomer):
    hidden = StructureFactory(est_publiee=False)

    assert client.post(f"/comptes/rejoindre/{hidden.pk}/").status_code == 404
    assert client.get(f"/comptes/rejoindre/{hidden.pk}/").status_code == 404


def test_my_space_requires_login(client):
    assert client.get("/comptes/")["Location"] == "/comptes/connexion/?next=/comptes/"
