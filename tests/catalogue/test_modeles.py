"""Modèles de service: copies keep their link, a model's changes are proposed to every copy and
accepted or refused field by field, each structure acting only on its own copy."""

import json

from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from wagtail.models import ModelLogEntry

import pytest

from catalogue import modeles
from catalogue.data_inclusion import service_record
from catalogue.models import Membre, ModeleService, Service
from search.documents import document
from tests.catalogue.conformance import assert_conformant
from tests.catalogue.factories import ModeleServiceFactory, copy_of, reseau
from tests.factories import CoordinationFactory, MembreFactory, ServiceFactory, UserFactory

pytestmark = pytest.mark.django_db

NEW_NAME = "Contrat d'engagement jeune"
NEW_DESCRIPTION = "Un accompagnement d'un an, jusqu'à vingt heures par semaine, vers l'emploi."


@pytest.fixture
def world():
    return reseau()


def _change_model(modele, **values):
    for name, value in values.items():
        setattr(modele, name, value)
    modele.save()
    return modeles.propose(modele, values)


def test_a_copy_starts_with_the_model_fields_and_keeps_its_link(world):
    copy = world.copies[0]
    assert copy.modele == world.modele
    assert copy.nom == world.modele.nom and copy.thematiques == world.modele.thematiques
    assert copy.structure == world.antennes[0]
    assert copy.lieu_accueil == world.antennes[0]  # no address of its own: its structure's
    assert modeles.proposals(copy) == []
    assert ModelLogEntry.objects.for_instance(copy).filter(action=modeles.COPIED).exists()


def test_a_model_change_is_proposed_to_every_copy_and_mailed_to_its_admins(world, mails):
    with mails(execute=True):
        told = _change_model(world.modele, nom=NEW_NAME)

    assert set(told) == set(world.copies)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in world.admins)
    message = mail.outbox[0]
    assert "à accepter ou refuser" in message.subject
    assert "- Nom" in message.body and "/admin/modeles/propositions/" in message.body
    for copy in world.copies:
        copy.refresh_from_db()
        assert copy.nom != NEW_NAME  # nothing changes before the structure decides
        assert [(p.field, p.proposed) for p in modeles.proposals(copy)] == [("nom", NEW_NAME)]


def test_a_change_the_copy_already_has_is_not_proposed_nor_mailed(world, mails):
    world.copies[0].conditions_acces = "Avoir entre 16 et 25 ans."
    world.copies[0].save()
    with mails(execute=True):
        told = _change_model(world.modele, conditions_acces="Avoir entre 16 et 25 ans.")
    assert world.copies[0] not in told and len(told) == 2
    assert len(mail.outbox) == 2


def test_accepted_and_refused_field_by_field_and_kept_in_the_history(world):
    copy = world.copies[0]
    copy.description = "Notre description locale, écrite par l'antenne de Marseille."
    copy.save()
    _change_model(world.modele, nom=NEW_NAME, description=NEW_DESCRIPTION, thematiques=["mobilite"])

    decided = modeles.decide(copy, world.admins[0], {"nom": True, "description": False})

    assert [p.field for p in decided] == ["nom", "description"]
    copy.refresh_from_db()
    assert copy.nom == NEW_NAME
    assert copy.description == "Notre description locale, écrite par l'antenne de Marseille."
    assert [p.field for p in modeles.proposals(copy)] == ["thematiques"]  # left for later
    revision = copy.revisions.order_by("-created_at").first()
    assert revision.user == world.admins[0] and revision.content["nom"] == NEW_NAME
    logged = ModelLogEntry.objects.for_instance(copy).order_by("pk")
    assert [(e.action, e.data["field"]) for e in logged if e.action != modeles.COPIED] == [
        (modeles.ACCEPTED, "Nom"),
        (modeles.REFUSED, "Description"),
    ]
    assert all(e.user == world.admins[0] for e in logged if e.action != modeles.COPIED)


def test_a_refused_value_is_not_proposed_again_until_the_model_changes_it_again(world):
    copy = world.copies[1]
    _change_model(world.modele, nom=NEW_NAME)
    modeles.decide(copy, world.admins[1], {"nom": False})
    copy.refresh_from_db()
    assert modeles.proposals(copy) == []
    assert modeles.decide(copy, world.admins[1], {"nom": True}) == []  # a second decision
    assert copy.nom == world.copies[2].nom != NEW_NAME

    _change_model(world.modele, nom="Contrat d'engagement jeune 2027")
    copy = Service.objects.get(pk=copy.pk)
    assert [p.proposed for p in modeles.proposals(copy)] == ["Contrat d'engagement jeune 2027"]


def test_a_model_follows_the_services_rule_on_publics(world):
    world.modele.publics = ["tous-publics", "jeunes"]
    with pytest.raises(ValidationError) as error:
        world.modele.full_clean()
    assert list(error.value.message_dict) == ["publics"]


def test_list_values_are_shown_as_labels(world):
    _change_model(world.modele, publics=["jeunes", "femmes"], type="atelier")
    texts = {p.field: p.proposed_text for p in modeles.proposals(world.copies[0])}
    assert texts == {"publics": "Jeunes, Femmes", "type": "Atelier"}


def test_copies_are_ordinary_services_for_the_export_and_the_search(world, tmp_path):
    copy = world.copies[0]
    record = service_record(copy)
    assert_conformant("service", [record])
    assert copy.__class__ is Service
    detached = Service.objects.get(pk=copy.pk)
    detached.modele, detached.valeurs_modele = None, {}
    assert document(copy) == document(detached)

    call_command("export_data_inclusion", out=tmp_path)
    exported = json.loads((tmp_path / "services.json").read_text(encoding="utf-8"))
    assert {c.identifiant for c in world.copies} <= {r["id"] for r in exported}


def test_the_coordination_sees_the_structures_of_its_territory_running_a_model(client, world):
    coordinator = UserFactory()
    CoordinationFactory(membres=[coordinator])  # the Bouches-du-Rhône
    ModeleServiceFactory(nom="Modèle sans copie")
    client.force_login(coordinator)

    html = client.get("/modeles-de-service/").content.decode()

    assert "Mission locale de Marseille" in html and escape("Mission locale d'Aubagne") in html
    assert "Albi" not in html
    assert "2 services dans les structures de votre territoire" in html  # not « structures »
    assert "Aucune structure de votre territoire ne propose ce service." in html
    client.force_login(world.admin)
    assert client.get("/modeles-de-service/").status_code == 404


def _queries(client, url):
    """How many queries the page at `url` makes."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _more_models_and_copies(world):
    """Two more models of the network, each copied by its antennes in Marseille and Aubagne."""
    for _ in range(2):
        modele = ModeleServiceFactory(structure=world.tete)
        for antenne in world.antennes[:2]:
            copy_of(modele, antenne, world.admin)


@pytest.mark.parametrize("url", ["/modeles-de-service/", "/admin/modeles/"])
def test_the_models_pages_read_the_copies_in_a_fixed_number_of_queries(client, world, url):
    coordinator = UserFactory()
    CoordinationFactory(membres=[coordinator])
    client.force_login(coordinator if url == "/modeles-de-service/" else world.membres[0])
    _queries(client, url)  # the session and caches settled
    one_model = _queries(client, url)

    _more_models_and_copies(world)

    assert _queries(client, url) == one_model


@pytest.mark.parametrize(
    ("listing", "factory"), [("modeleservice", ModeleServiceFactory), ("service", ServiceFactory)]
)
def test_the_snippets_listings_read_the_structures_with_the_rows(client, listing, factory):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    url = f"/admin/snippets/catalogue/{listing}/"
    factory()
    _queries(client, url)
    one_row = _queries(client, url)

    for _ in range(3):
        factory()  # each in a structure of its own

    assert _queries(client, url) == one_row


# The admin: each structure acts on its own copy; only the model's owner changes the model.

SNIPPETS = "/admin/snippets/catalogue/modeleservice/"


def _model_form(modele, **changes):
    data = {
        "structure": modele.structure_id, "nom": modele.nom, "description": modele.description,
        "type": modele.type, "frais": modele.frais, "frais_precisions": "",
        "thematiques": modele.thematiques, "publics": modele.publics, "publics_precisions": "",
        "conditions_acces": "", "modes_accueil": modele.modes_accueil,
        "volume_horaire_hebdomadaire": "", "nombre_semaines": "", "mobilisation_precisions": "",
        "lien_mobilisation": "",
    }  # fmt: skip
    return data | changes


def test_the_owner_admin_edits_the_model_and_the_change_is_proposed(client, world, mails):
    client.force_login(world.admin)
    with mails(execute=True):
        response = client.post(
            f"{SNIPPETS}edit/{world.modele.pk}/", _model_form(world.modele, nom=NEW_NAME)
        )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert ModeleService.objects.get().nom == NEW_NAME
    assert len(mail.outbox) == 3
    assert all(modeles.proposals(c) for c in Service.objects.filter(modele=world.modele))


@pytest.mark.parametrize("who", ["antenne_admin", "owner_member"])
def test_only_the_owner_admins_edit_the_model(client, world, who):
    user = world.admins[0]
    if who == "owner_member":
        user = MembreFactory(structure=world.tete, role=Membre.Role.MEMBRE).user
    client.force_login(user)
    assert client.get(f"{SNIPPETS}edit/{world.modele.pk}/").status_code in (302, 403)
    client.post(f"{SNIPPETS}edit/{world.modele.pk}/", _model_form(world.modele, nom="Piraté"))
    assert ModeleService.objects.get().nom == world.modele.nom
    assert world.modele.nom not in client.get(SNIPPETS).content.decode()


def test_a_model_is_created_only_for_a_structure_its_author_administers(client, world):
    client.force_login(world.admins[0])
    response = client.post(f"{SNIPPETS}add/", _model_form(world.modele, nom="Modèle intrus"))
    assert response.status_code == 200 and not ModeleService.objects.filter(nom="Modèle intrus")
    allowed = _model_form(world.modele, nom="Atelier numérique", structure=world.antennes[0].pk)
    assert client.post(f"{SNIPPETS}add/", allowed).status_code == 302
    assert ModeleService.objects.get(nom="Atelier numérique").structure == world.antennes[0]


def test_a_structure_admin_cannot_decide_for_another_structure_copy(client, world):
    _change_model(world.modele, nom=NEW_NAME)
    client.force_login(world.admins[1])
    url = f"/admin/modeles/propositions/{world.copies[0].pk}/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"nom": "accepter"}).status_code == 404
    world.copies[0].refresh_from_db()
    assert world.copies[0].nom != NEW_NAME


def test_a_member_decides_field_by_field_in_the_admin(client, world):
    _change_model(world.modele, nom=NEW_NAME, frais="payant")
    client.force_login(world.membres[2])
    url = f"/admin/modeles/propositions/{world.copies[2].pk}/"
    page = client.get(url).content.decode()
    assert escape(NEW_NAME) in page and "Payant" in page

    response = client.post(url, {"nom": "accepter", "frais": "refuser"}, follow=True)

    assert "2 décisions enregistrées." in response.content.decode()
    copy = Service.objects.get(pk=world.copies[2].pk)
    assert (copy.nom, copy.frais) == (NEW_NAME, "gratuit")
    history = client.get(f"/admin/snippets/catalogue/service/history/{copy.pk}/").content
    assert "Modification du modèle refusée : Frais (« Payant »)" in history.decode()


def test_a_member_copies_a_model_into_their_structure_only(client, world):
    member = MembreFactory(role=Membre.Role.MEMBRE, structure__nom="Centre social Caillols")
    client.force_login(member.user)
    url = f"/admin/modeles/{world.modele.pk}/copier/"
    local = {"statut": "publie", "adresse": "5 rue des Caillols", "code_postal": "13001",
             "code_insee": "13055", "commune": "Marseille", "telephone": "0491000099",
             "horaires_accueil": "Mo 09:00-12:00", "zone_eligibilite": "13"}  # fmt: skip

    refused = client.post(url, {**local, "structure": world.antennes[0].pk})
    assert refused.status_code == 200 and not Service.objects.filter(telephone="0491000099")
    response = client.post(url, {**local, "structure": member.structure_id})

    copy = Service.objects.get(telephone="0491000099")
    assert response.url == f"/admin/snippets/catalogue/service/edit/{copy.pk}/"
    assert (copy.modele, copy.structure, copy.nom) == (world.modele, member.structure,
                                                        world.modele.nom)  # fmt: skip
    assert copy.zone_eligibilite == ["13"] and copy.has_coordinates
    assert copy.revisions.get().user == member.user


def test_a_member_copy_waits_for_review_where_the_structure_asks_for_it(client, world, mails):
    """« Publication après relecture » holds a model's copy as any new service (issue 20)."""
    member = MembreFactory(role=Membre.Role.MEMBRE, structure__relecture_services=True)
    admin = MembreFactory(role=Membre.Role.ADMIN, structure=member.structure)
    client.force_login(member.user)

    with mails(execute=True):
        client.post(
            f"/admin/modeles/{world.modele.pk}/copier/",
            {"structure": member.structure_id, "statut": "publie", "telephone": "0491000098"},
        )

    copy = Service.objects.get(telephone="0491000098")
    assert copy.statut == Service.Statut.A_RELIRE
    assert [m.to for m in mail.outbox if "relire" in m.subject] == [[admin.user.email]]


def test_a_network_admin_pushes_its_model_to_its_antennes(client, world):
    client.force_login(world.admin)
    outsider = MembreFactory().structure
    url = f"/admin/modeles/{world.modele.pk}/copier/"
    form = client.get(url).content.decode()
    assert all(escape(a.nom) in form for a in world.antennes) and outsider.nom not in form
    response = client.post(url, {"structure": world.antennes[1].pk, "statut": "brouillon"})
    assert response.url == "/admin/modeles/"  # not a member there: its members complete it
    assert world.antennes[1].services.filter(statut="brouillon", modele=world.modele).exists()


def test_the_models_page_lists_the_copies_to_decide(client, world):
    _change_model(world.modele, nom=NEW_NAME)
    client.force_login(world.membres[0])
    page = client.get("/admin/modeles/").content.decode()
    assert f"/admin/modeles/propositions/{world.copies[0].pk}/" in page
    assert f"/admin/modeles/propositions/{world.copies[1].pk}/" not in page
    assert "Créer un service à partir de ce modèle" in page
    assert "<td>3</td>" in page  # the model's copies


def test_a_model_reverted_to_a_revision_proposes_its_former_values(client, world, mails):
    client.force_login(world.admin)
    edit = f"{SNIPPETS}edit/{world.modele.pk}/"
    client.post(edit, _model_form(world.modele))  # a first revision, of the values copied
    first = world.modele.revisions.get()
    client.post(edit, _model_form(world.modele, nom=NEW_NAME))
    for copy, admin in zip(world.copies, world.admins, strict=True):
        modeles.decide(copy, admin, {"nom": True})

    revert = f"{SNIPPETS}history/{world.modele.pk}/revisions/{first.pk}/revert/"
    with mails(execute=True):
        response = client.post(revert, _model_form(world.modele))

    assert response.status_code == 302, response.content.decode()[:3000]
    assert ModeleService.objects.get().nom == world.modele.nom
    assert len(mail.outbox) == 3
    proposed = modeles.proposals(Service.objects.get(pk=world.copies[0].pk))
    assert [(p.field, p.proposed) for p in proposed] == [("nom", world.modele.nom)]
