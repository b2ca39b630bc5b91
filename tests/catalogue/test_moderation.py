"""Moderation (issue 20, item 2): a structure created or claimed by a professional, and its first
admin, wait for the gestionnaires or the coordination of its territory; « publication après
relecture » holds a member's new service for an admin. Queues, e-mails, history."""

from django.core import mail

from wagtail.models import ModelLogEntry

import pytest

from catalogue.models import DemandeAdhesion, Membre, Service, Structure
from tests.catalogue.test_admin import SERVICES, STRUCTURES, _service_form
from tests.factories import (
    CoordinationFactory,
    MembreFactory,
    ServiceFactory,
    StructureFactory,
    UserFactory,
)  # fmt: skip

pytestmark = pytest.mark.django_db

NEW = {
    "nom": "Épicerie solidaire du Panier",
    "siret": "44306184100047",
    "description": "Une épicerie solidaire qui accompagne les familles du quartier.",
    "adresse": "3 rue du Panier",
    "code_postal": "13002",
    "commune_texte": "Marseille",
    "telephone": "0491000001",
    "courriel": "contact@epicerie-panier.example.org",
    "site_web": "",
    "message": "Je coordonne les bénévoles.",
}


@pytest.fixture
def professional(client):
    user = UserFactory(email="nadia@epicerie-panier.example.org", first_name="Nadia",
                       last_name="Haddad")  # fmt: skip
    client.force_login(user)
    return user


@pytest.fixture
def coordinator():
    user = UserFactory(email="coordination@departement13.example.org")
    CoordinationFactory(membres=[user])
    return user


@pytest.fixture
def far_coordinator():
    user = UserFactory(email="coordination@tarn.example.org")
    CoordinationFactory(nom="Coordination du Tarn", departement_id="81", membres=[user])
    return user


def _history(instance):
    return [entry.action for entry in ModelLogEntry.objects.for_instance(instance)]


def _create(client, mails, **changes):
    with mails(execute=True):
        return client.post("/structures/nouvelle/", NEW | changes)


def test_a_created_structure_waits_unpublished_and_its_coordination_hears_it(
    client, professional, coordinator, far_coordinator, mails
):
    response = _create(client, mails)

    assert response["Location"] == "/comptes/"
    structure = Structure.objects.get(nom=NEW["nom"])
    assert not structure.est_publiee
    assert (structure.code_insee, structure.commune) == ("13202", "Marseille 2e Arrondissement")
    demande = DemandeAdhesion.objects.get()
    assert (demande.user, demande.role, demande.creation) == (professional, "admin", True)
    assert not Membre.objects.filter(user=professional).exists()  # no right before validation
    [message] = mail.outbox
    assert message.to == [coordinator.email]  # not the Tarn's coordination
    assert "Nouvelle structure à valider" in message.subject
    assert "Je coordonne les bénévoles." in message.body
    assert "http://testserver/moderation/" in message.body
    assert _history(structure) == ["catalogue.moderation.soumise"]
    assert client.get(structure.get_absolute_url()).status_code == 404
    assert "en attente de validation" in client.get("/comptes/").content.decode()


def test_the_gestionnaires_are_told_too(client, professional, coordinator, far_coordinator, mails):
    gestionnaire = UserFactory(email="gestion@portail.example.org", is_superuser=True)

    _create(client, mails)

    assert sorted(m.to[0] for m in mail.outbox) == sorted([coordinator.email, gestionnaire.email])


def test_the_coordination_validates_the_structure_and_its_first_admin(
    client, professional, coordinator, mails
):
    _create(client, mails)
    demande = DemandeAdhesion.objects.get()
    structure = demande.structure
    client.force_login(coordinator)
    page = client.get("/moderation/").content.decode()
    assert "Structures et administrateurs à valider (1)" in page and NEW["nom"] in page
    assert "1 structure ou administrateur de votre territoire à valider" in (
        client.get("/actualisation/coordination/").content.decode()
    )

    mail.outbox.clear()
    with mails(execute=True):
        response = client.post(f"/moderation/demandes/{demande.pk}/", {"decision": "accepter"})

    assert response["Location"] == "/moderation/"
    structure.refresh_from_db()
    assert structure.est_publiee
    assert Membre.objects.get(user=professional, structure=structure).role == "admin"
    assert [m.to for m in mail.outbox] == [[professional.email]]
    assert "a été validée" in mail.outbox[0].body
    assert _history(structure)[0] == "catalogue.moderation.validee"
    entry = ModelLogEntry.objects.for_instance(structure).first()
    assert entry.user == coordinator
    assert entry.message.startswith("Structure validée et publiée ; Nadia Haddad (nadia@")
    assert client.get(structure.get_absolute_url()).status_code == 200
    again = client.post(f"/moderation/demandes/{demande.pk}/", {"decision": "refuser"}, follow=True)
    assert "déjà été traitée" in again.content.decode()
    client.force_login(professional)
    assert client.get(f"{STRUCTURES}edit/{structure.pk}/").status_code == 200


def test_a_refused_structure_stays_unpublished_and_its_creator_gets_no_right(
    client, professional, coordinator, mails
):
    _create(client, mails)
    demande = DemandeAdhesion.objects.get()
    client.force_login(coordinator)

    with mails(execute=True):
        client.post(f"/moderation/demandes/{demande.pk}/", {"decision": "refuser"})

    demande.structure.refresh_from_db()
    assert not demande.structure.est_publiee
    assert not Membre.objects.filter(user=professional).exists()
    assert "n'a pas été validée" in mail.outbox[-1].body
    assert _history(demande.structure)[0] == "catalogue.moderation.rejetee"


def test_nobody_outside_the_territory_decides(
    client, professional, coordinator, far_coordinator, mails
):
    _create(client, mails)
    demande = DemandeAdhesion.objects.get()
    structure_admin = MembreFactory(role=Membre.Role.ADMIN).user

    for intruder in (far_coordinator, structure_admin, professional):
        client.force_login(intruder)
        response = client.post(f"/moderation/demandes/{demande.pk}/", {"decision": "accepter"})
        assert response.status_code == 404
        assert NEW["nom"] not in client.get("/moderation/").content.decode()

    demande.refresh_from_db()
    assert demande.decidee_le is None
    client.force_login(UserFactory())
    assert client.get("/moderation/").status_code == 404


def test_the_creation_form_refuses_a_known_siret_an_unknown_commune_and_a_second_creation(
    client, professional, mails
):
    known = StructureFactory(nom="Épicerie déjà là", siret="44306184100047")
    page = _create(client, mails).content.decode()
    assert "Épicerie déjà là" in page and "demandez plutôt à la rejoindre" in page
    known.delete()

    page = _create(client, mails, commune_texte="Nulle-Part-sur-Lune", code_postal="").content
    assert "Commune introuvable" in page.decode()
    assert not Structure.objects.exists()

    assert _create(client, mails).status_code == 302
    second = _create(client, mails, nom="Autre structure", siret="73282932000074")
    assert "attend déjà sa validation" in second.content.decode()
    assert Structure.objects.count() == 1


def test_a_created_structure_cannot_name_a_parent(client, professional, mails):
    """Issue 17: only the parent's admins link an antenne (tests/catalogue/test_admin_scope.py),
    never the creation form; its creator has no right on it before the validation."""
    parent = StructureFactory(nom="Réseau national")

    _create(client, mails, structure_parente=parent.pk)

    assert Structure.objects.get(nom=NEW["nom"]).structure_parente is None


def test_claiming_a_structure_without_admin_goes_to_the_moderators(
    client, professional, coordinator, mails
):
    orphan = StructureFactory(nom="Centre social sans administrateur", code_insee="13205")
    assert (
        "Demander à administrer" in client.get(f"/comptes/rejoindre/{orphan.pk}/").content.decode()
    )

    with mails(execute=True):
        response = client.post(f"/comptes/rejoindre/{orphan.pk}/", {"message": "Directrice."})

    demande = DemandeAdhesion.objects.get()
    assert (demande.role, demande.creation) == ("admin", False)
    assert [m.to for m in mail.outbox] == [[coordinator.email]]
    assert "Premier administrateur à valider" in mail.outbox[0].subject
    assert "coordination SPIE" in client.get(response["Location"]).content.decode()

    client.force_login(coordinator)
    with mails(execute=True):
        client.post(f"/moderation/demandes/{demande.pk}/", {"decision": "accepter"})
    assert Membre.objects.get(user=professional, structure=orphan).role == "admin"
    assert "vous êtes maintenant administrateur" in mail.outbox[-1].body
    assert _history(orphan) == ["catalogue.adhesion.acceptee"]


def test_a_structure_admin_cannot_decide_a_claim_from_the_members_page(
    client, professional, coordinator, mails
):
    orphan = StructureFactory(nom="Centre social", code_insee="13205")
    with mails(execute=True):
        client.post(f"/comptes/rejoindre/{orphan.pk}/")
    demande = DemandeAdhesion.objects.get()
    newly_invited_admin = MembreFactory(structure=orphan, role=Membre.Role.ADMIN).user
    client.force_login(newly_invited_admin)

    response = client.post(
        f"/admin/membres/{orphan.pk}/demandes/{demande.pk}/", {"decision": "accepter"}
    )

    assert response.status_code == 404
    assert not Membre.objects.filter(user=professional).exists()


# Publication après relecture ------------------------------------------------------------------


@pytest.fixture
def reviewed():
    """A structure with « publication après relecture », its admin and a member."""
    structure = StructureFactory(nom="Maison de l'emploi", relecture_services=True)
    admin = MembreFactory(structure=structure, role=Membre.Role.ADMIN,
                          user__email="admin@mde.example.org").user  # fmt: skip
    member = MembreFactory(structure=structure, user__email="membre@mde.example.org").user
    model = ServiceFactory.build(structure=structure)
    return structure, admin, member, model


def _add(client, mails, user, model, nom):
    client.force_login(user)
    with mails(execute=True):
        response = client.post(f"{SERVICES}add/", _service_form(model, nom=nom))
    assert response.status_code == 302, response.content.decode()[:1000]
    return Service.objects.get(nom=nom)


def test_a_member_s_new_service_waits_for_an_admin_then_is_published(client, reviewed, mails):
    structure, admin, member, model = reviewed

    service = _add(client, mails, member, model, "Atelier numérique")

    assert service.statut == Service.Statut.A_RELIRE
    assert not Service.objects.publies().filter(pk=service.pk).exists()
    assert [m.to for m in mail.outbox] == [[admin.email]]
    assert "Atelier numérique" in mail.outbox[0].subject
    assert client.get(service.get_absolute_url()).status_code == 404
    client.force_login(admin)
    home = client.get("/admin/").content.decode()
    assert "1 service à relire avant publication" in home
    assert "Mod\\u00e9ration (1)" in home  # the sidebar's menu, in JSON
    assert "Services à relire avant publication (1)" in client.get("/moderation/").content.decode()

    mail.outbox.clear()
    with mails(execute=True):
        client.post(f"/moderation/services/{service.pk}/", {"decision": "accepter"})

    service.refresh_from_db()
    assert service.statut == Service.Statut.PUBLIE
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert "relu et publié" in mail.outbox[0].body
    ours = [action for action in _history(service) if action.startswith("catalogue.")]
    assert ours == ["catalogue.relecture.publie", "catalogue.relecture.demandee"]
    again = client.post(f"/moderation/services/{service.pk}/", {"decision": "refuser"}, follow=True)
    assert "déjà été relu" in again.content.decode()
    assert Service.objects.get(pk=service.pk).statut == Service.Statut.PUBLIE


def test_an_admin_sends_it_back_to_draft(client, reviewed, mails):
    structure, admin, member, model = reviewed
    service = _add(client, mails, member, model, "Atelier numérique")
    client.force_login(admin)

    with mails(execute=True):
        client.post(f"/moderation/services/{service.pk}/", {"decision": "refuser"})

    assert Service.objects.get(pk=service.pk).statut == Service.Statut.BROUILLON
    assert "renvoyé en brouillon" in mail.outbox[-1].subject


def test_admins_and_structures_without_review_publish_at_once(client, reviewed, mails):
    structure, admin, member, model = reviewed
    assert _add(client, mails, admin, model, "Par l'admin").statut == Service.Statut.PUBLIE
    published = ServiceFactory(structure=structure, nom="Déjà publié")
    client.force_login(member)
    client.post(f"{SERVICES}edit/{published.pk}/", _service_form(published, nom="Déjà publié 2"))
    assert Service.objects.get(pk=published.pk).statut == Service.Statut.PUBLIE  # not new
    free = MembreFactory(structure=StructureFactory(), user__email="libre@example.org").user
    model.structure = free.memberships.get().structure
    assert _add(client, mails, free, model, "Sans relecture").statut == Service.Statut.PUBLIE
    assert not any("relire" in m.subject for m in mail.outbox)


def test_a_structure_left_without_admin_does_not_hold_its_services(client, reviewed, mails):
    """Nobody there could review them: « publication après relecture » needs an admin."""
    structure, admin, member, model = reviewed
    admin.is_active = False
    admin.save()

    assert _add(client, mails, member, model, "Sans relecteur").statut == Service.Statut.PUBLIE


def test_nobody_else_reviews(client, reviewed, mails):
    structure, admin, member, model = reviewed
    service = _add(client, mails, member, model, "Atelier numérique")
    other_admin = MembreFactory(role=Membre.Role.ADMIN).user

    for intruder in (member, other_admin):
        client.force_login(intruder)
        response = client.post(f"/moderation/services/{service.pk}/", {"decision": "accepter"})
        assert response.status_code == 404

    assert Service.objects.get(pk=service.pk).statut == Service.Statut.A_RELIRE
