"""The permission matrix: every URL of the project, as each role, with the expected answer.

The URL conf is walked: a route without a line in MATRIX fails the test, so a new page cannot
ship without its permissions being decided. Each line names a URL built from one world (a
structure receiving a prescription with its attachment, a référent's person with consent, a
fiche relais and a blocked situation, a campaign, signed links) and the expected status of a GET
for each role, in the order of ROLES. The Wagtail admin is covered by the URLs of its screens
that show our data (ADMIN_MATRIX): the rest of Wagtail's admin is Wagtail's, reached only by
users it lets in. On every answer to a role that may not read the person, her name is absent.
"""

from django.core.files.uploadedfile import SimpleUploadedFile

import pytest

from actualisation import services as actualisation
from catalogue import membres
from catalogue.models import Invitation, Membre
from fiche_relais import services as fiche_services
from fiche_relais.models import Commission, Consentement, Personne, SituationBloquee
from prescription import services as prescription_services
from prescription.models import PieceJointe
from tests.catalogue.factories import ModeleServiceFactory
from tests.factories import (
    CoordinationFactory,
    MembreFactory,
    PrescriptionFactory,
    ServiceFactory,
    StructureFactory,
    UserFactory,
)  # fmt: skip
from tests.url_walk import all_routes, body, project_routes

pytestmark = pytest.mark.django_db

ROLES = ("anonyme", "externe", "referent", "membre", "admin", "coordination", "gestionnaire")
# Who may read the person (Zéphirine Quintal) somewhere: the référent who follows her, the
# receiving structure (its prescription) and the coordination of her territory. Staff
# (gestionnaire) manage the platform in the admin and read no person.
READERS = {"referent", "membre", "admin", "coordination"}
SECRET_NAME = "Zéphirine"


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    structure = StructureFactory(nom="Structure qui accueille")
    service = ServiceFactory(structure=structure)
    referent_structure = StructureFactory(nom="Structure du référent")
    users = {
        "externe": UserFactory(),
        "referent": MembreFactory(structure=referent_structure).user,
        "membre": MembreFactory(structure=structure).user,
        "admin": MembreFactory(structure=structure, role=Membre.Role.ADMIN).user,
        "coordination": UserFactory(),
        "gestionnaire": UserFactory(is_staff=True, is_superuser=True),
    }
    coordination = CoordinationFactory(membres=[users["coordination"]])
    prescription = PrescriptionFactory(
        service=service, prescripteur=users["referent"], structure_prescriptrice=referent_structure,
        prenom=SECRET_NAME, nom="Quintal", commune_id="13005",
    )  # fmt: skip
    piece = PieceJointe.objects.create(
        prescription=prescription, fichier=SimpleUploadedFile("a.pdf", b"%PDF-1.4"),
        nom="a.pdf", type="application/pdf", taille=8,
    )  # fmt: skip
    personne = Personne.objects.create(
        nom="Quintal", prenom=SECRET_NAME, commune_id="13005", cree_par=users["referent"]
    )
    consentement = Consentement.objects.create(
        personne=personne, mode=Consentement.Mode.SCAN, recueilli_par=users["referent"],
        document=SimpleUploadedFile("c.pdf", b"%PDF-1.4"),
    )  # fmt: skip
    fiche = fiche_services.nouvelle_fiche(personne, users["referent"], referent_structure)
    situation = SituationBloquee.objects.create(
        personne=personne, motif=SituationBloquee.Motif.DUREE, situation="s",
        actions_menees="a", blocage="b", demande="d", signalee_par=users["referent"],
    )  # fmt: skip
    commission = Commission.objects.create(coordination=coordination, date="2026-12-10")
    situation.commission = commission
    situation.save()
    campagne = actualisation.launch_campaign(
        coordination, users["coordination"], "Campagne", "13", []
    )
    invitation = Invitation.objects.create(structure=structure, email="nouveau@example.org")
    demande = membres.request_to_join(users["externe"], structure)
    modele = ModeleServiceFactory(structure=structure)
    return {
        "users": users,
        "structure": structure.pk, "service": service.pk, "prescription": prescription.pk,
        "piece": piece.pk, "personne": personne.pk, "fiche": fiche.pk,
        "consentement": consentement.pk,
        "situation": situation.pk, "campagne": campagne.pk, "commission": commission.pk, "demande": demande.pk,
        "modele": modele.pk,
        "lien_prescription": prescription_services.link_token(prescription),
        "lien_confirmation": actualisation.confirmation_link(service).rsplit("/", 2)[-2],
        "invitation": membres.invitation_token(invitation),
    }  # fmt: skip


# route: (URL, expected GET status per role, in the order of ROLES)
#         anonyme, externe, referent, membre, admin, coordination, gestionnaire
# fmt: off
MATRIX = {
    "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/": ("/_util/authenticate_with_password/1/1/", "404 404 404 404 404 404 404"),
    "_util/login/": ("/_util/login/", "200 200 200 200 200 200 200"),
    "accessibilite/": ("/accessibilite/", "200 200 200 200 200 200 200"),
    "actualisation/campagnes/<int:pk>/": ("/actualisation/campagnes/{campagne}/", "302 404 404 404 404 200 404"),
    "actualisation/campagnes/<int:pk>/relancer/": ("/actualisation/campagnes/{campagne}/relancer/", "302 405 405 405 405 405 405"),
    "actualisation/campagnes/nouvelle/": ("/actualisation/campagnes/nouvelle/", "302 405 405 405 405 405 405"),
    "actualisation/confirmer/<str:token>/": ("/actualisation/confirmer/{lien_confirmation}/", "200 200 200 200 200 200 200"),
    "actualisation/coordination/": ("/actualisation/coordination/", "302 404 404 404 404 200 404"),
    "actualisation/taches/<int:pk>/cloturer/": ("/actualisation/taches/1/cloturer/", "302 405 405 405 405 405 405"),
    "alertes/desabonnement/<str:token>/": ("/alertes/desabonnement/forge/", "404 404 404 404 404 404 404"),
    "api/v1/docs/": ("/api/v1/docs/", "200 200 200 200 200 200 200"),
    "api/v1/openapi.json": ("/api/v1/openapi.json", "200 200 200 200 200 200 200"),
    "api/v1/search/services": ("/api/v1/search/services?code_commune=13055", "200 200 200 200 200 200 200"),
    "api/v1/services": ("/api/v1/services", "200 200 200 200 200 200 200"),
    "api/v1/structures": ("/api/v1/structures", "200 200 200 200 200 200 200"),
    "comptes/": ("/comptes/", "302 200 200 200 200 200 200"),
    "comptes/adresse/": ("/comptes/adresse/", "302 200 200 200 200 200 200"),
    "comptes/adresse/confirmer/<str:token>/": ("/comptes/adresse/confirmer/forge/", "400 400 400 400 400 400 400"),
    "comptes/connexion/": ("/comptes/connexion/", "200 200 200 200 200 200 200"),
    "comptes/deconnexion/": ("/comptes/deconnexion/", "405 405 405 405 405 405 405"),
    "comptes/notifications/": ("/comptes/notifications/", "302 200 200 200 200 200 200"),
    "comptes/recherches/": ("/comptes/recherches/", "302 200 200 200 200 200 200"),
    "comptes/recherches/<int:pk>/alerte/": ("/comptes/recherches/1/alerte/", "302 405 405 405 405 405 405"),
    "comptes/recherches/<int:pk>/supprimer/": ("/comptes/recherches/1/supprimer/", "302 405 405 405 405 405 405"),
    "comptes/recherches/enregistrer/": ("/comptes/recherches/enregistrer/?code_commune=13055", "302 200 200 200 200 200 200"),
    "comptes/proconnect/": ("/comptes/proconnect/", "404 404 404 404 404 404 404"),
    "comptes/proconnect/retour/": ("/comptes/proconnect/retour/", "302 302 302 302 302 302 302"),
    "comptes/rejoindre/<int:structure_pk>/": ("/comptes/rejoindre/{structure}/", "302 200 200 200 200 200 200"),
    "donnees-personnelles/": ("/donnees-personnelles/", "200 200 200 200 200 200 200"),
    "healthz": ("/healthz", "200 200 200 200 200 200 200"),
    "invitation/<str:token>/": ("/invitation/{invitation}/", "200 403 403 403 403 403 403"),
    "moderation/": ("/moderation/", "302 404 404 404 200 200 200"),
    "moderation/demandes/<int:pk>/": ("/moderation/demandes/{demande}/", "302 405 405 405 405 405 405"),
    "moderation/services/<int:pk>/": ("/moderation/services/{service}/", "302 405 405 405 405 405 405"),
    "modeles-de-service/": ("/modeles-de-service/", "302 404 404 404 404 200 404"),
    "parcours/": ("/parcours/", "302 200 200 200 200 200 200"),
    "parcours/commissions/<int:pk>/": ("/parcours/commissions/{commission}/", "302 404 404 404 404 200 404"),
    "parcours/commissions/<int:pk>/ordre-du-jour.pdf": ("/parcours/commissions/{commission}/ordre-du-jour.pdf", "302 404 404 404 404 200 404"),
    "parcours/coordination/": ("/parcours/coordination/", "302 404 404 404 404 200 404"),
    "parcours/coordination/donnees-personne/": ("/parcours/coordination/donnees-personne/?personne={personne}", "302 404 404 404 404 200 404"),
    "parcours/fiches/<int:pk>/": ("/parcours/fiches/{fiche}/", "302 404 200 404 404 404 404"),
    "parcours/fiches/<int:pk>/assigner/": ("/parcours/fiches/{fiche}/assigner/", "302 405 405 405 405 405 405"),
    "parcours/fiches/<int:pk>/envoyer/": ("/parcours/fiches/{fiche}/envoyer/", "302 405 405 405 405 405 405"),
    "parcours/fiches/<int:pk>/fiche.pdf": ("/parcours/fiches/{fiche}/fiche.pdf", "302 404 200 404 404 404 404"),
    "parcours/fiches/<int:pk>/modifier/": ("/parcours/fiches/{fiche}/modifier/", "302 404 200 404 404 404 404"),
    "parcours/fiches/<int:pk>/relais/": ("/parcours/fiches/{fiche}/relais/", "302 405 405 405 405 405 405"),
    "parcours/personnes/<int:pk>/": ("/parcours/personnes/{personne}/", "302 404 200 404 404 200 404"),
    "parcours/personnes/<int:pk>/consentement/": ("/parcours/personnes/{personne}/consentement/", "302 405 405 405 405 405 405"),
    "parcours/personnes/<int:pk>/consentements/<int:consentement_pk>/document/": ("/parcours/personnes/{personne}/consentements/{consentement}/document/", "302 404 200 404 404 200 404"),
    "parcours/personnes/<int:pk>/consentements/<int:consentement_pk>/revoquer/": ("/parcours/personnes/{personne}/consentements/{consentement}/revoquer/", "302 405 405 405 405 405 405"),
    "parcours/personnes/<int:pk>/consultations.pdf": ("/parcours/personnes/{personne}/consultations.pdf", "302 404 404 404 404 200 404"),
    "parcours/personnes/<int:pk>/contact/": ("/parcours/personnes/{personne}/contact/", "302 405 405 405 405 405 405"),
    "parcours/personnes/<int:pk>/fiches/nouvelle/": ("/parcours/personnes/{personne}/fiches/nouvelle/", "302 405 405 405 405 405 405"),
    "parcours/personnes/<int:pk>/situations/": ("/parcours/personnes/{personne}/situations/", "302 405 405 405 405 405 405"),
    "parcours/personnes/<int:pk>/structures/": ("/parcours/personnes/{personne}/structures/?q=structure", "302 404 200 404 404 200 404"),
    "parcours/personnes/nouvelle/": ("/parcours/personnes/nouvelle/", "302 302 200 200 200 302 302"),
    "parcours/situations/<int:pk>/": ("/parcours/situations/{situation}/", "302 404 200 404 404 200 404"),
    "parcours/tableau-de-bord/": ("/parcours/tableau-de-bord/", "302 404 404 404 404 200 404"),
    "prescriptions/": ("/prescriptions/", "302 200 200 200 200 200 200"),
    "prescriptions/<int:pk>/": ("/prescriptions/{prescription}/", "302 404 200 200 200 200 404"),
    "prescriptions/<int:pk>/actions/<str:name>/": ("/prescriptions/{prescription}/actions/accepter/", "302 405 405 405 405 405 405"),
    "prescriptions/<int:pk>/pieces/<int:piece_pk>/": ("/prescriptions/{prescription}/pieces/{piece}/", "302 404 200 200 200 200 404"),
    "prescriptions/<int:pk>/recapitulatif.pdf": ("/prescriptions/{prescription}/recapitulatif.pdf", "302 404 200 200 200 200 404"),
    "prescriptions/coordination/": ("/prescriptions/coordination/", "302 404 404 404 404 200 404"),
    "prescriptions/recues/": ("/prescriptions/recues/", "302 200 200 200 200 200 200"),
    "prescriptions/reponse/<str:token>/": ("/prescriptions/reponse/{lien_prescription}/", "200 200 200 200 200 200 200"),
    "prescriptions/reponse/<str:token>/pieces/<int:piece_pk>/": ("/prescriptions/reponse/{lien_prescription}/pieces/{piece}/", "200 200 200 200 200 200 200"),
    "recherche/": ("/recherche/?code_commune=13055", "200 200 200 200 200 200 200"),
    "selection/": ("/selection/", "200 200 200 200 200 200 200"),
    "selection/ajouter/": ("/selection/ajouter/", "405 405 405 405 405 405 405"),
    "selection/envoyer/": ("/selection/envoyer/", "405 405 405 405 405 405 405"),
    "selection/imprimer/": ("/selection/imprimer/", "302 302 302 302 302 302 302"),
    "selection/retirer/": ("/selection/retirer/", "405 405 405 405 405 405 405"),
    "services/<int:pk>/": ("/services/{service}/", "200 200 200 200 200 200 200"),
    "services/<int:pk>/signaler/": ("/services/{service}/signaler/", "200 200 200 200 200 200 200"),
    "services/<int:pk>/partager/": ("/services/{service}/partager/", "200 200 200 200 200 200 200"),
    "services/<int:service_pk>/orienter/": ("/services/{service}/orienter/", "302 200 200 200 200 200 200"),
    "structures/<int:pk>/": ("/structures/{structure}/", "200 200 200 200 200 200 200"),
    "structures/nouvelle/": ("/structures/nouvelle/", "302 200 200 200 200 200 200"),
    "territoires/communes/": ("/territoires/communes/?q=mars", "200 200 200 200 200 200 200"),
    "territoires/zones/": ("/territoires/zones/?q=bouches", "200 200 200 200 200 200 200"),
    "admin/": ("/admin/", "302 302 200 200 200 302 200"),
    "admin/membres/": ("/admin/membres/", "302 302 200 200 200 302 200"),
    "admin/membres/<int:structure_pk>/": ("/admin/membres/{structure}/", "302 302 404 404 200 302 200"),
    "admin/membres/<int:structure_pk>/demandes/<int:demande_pk>/": ("/admin/membres/{structure}/demandes/{demande}/", "302 302 405 405 405 302 405"),
    "admin/snippets/catalogue/structure/": ("/admin/snippets/catalogue/structure/", "302 302 200 200 200 302 200"),
    "admin/snippets/catalogue/structure/edit/<int:pk>/": ("/admin/snippets/catalogue/structure/edit/{structure}/", "302 302 302 302 200 302 200"),
    "admin/snippets/catalogue/service/": ("/admin/snippets/catalogue/service/", "302 302 200 200 200 302 200"),
    "admin/snippets/catalogue/service/edit/<int:pk>/": ("/admin/snippets/catalogue/service/edit/{service}/", "302 302 302 200 200 302 200"),
    "admin/modeles/": ("/admin/modeles/", "302 302 200 200 200 302 200"),
    "admin/modeles/<int:modele_pk>/copier/": ("/admin/modeles/{modele}/copier/", "302 302 200 200 200 302 200"),
    "admin/modeles/propositions/<int:pk>/": ("/admin/modeles/propositions/{service}/", "302 302 404 200 200 302 200"),
    "admin/snippets/catalogue/modeleservice/": ("/admin/snippets/catalogue/modeleservice/", "302 302 302 302 200 302 200"),
    "admin/snippets/catalogue/modeleservice/edit/<int:pk>/": ("/admin/snippets/catalogue/modeleservice/edit/{modele}/", "302 302 302 302 200 302 200"),
    "admin/rapports-import/": ("/admin/rapports-import/", "302 302 302 302 302 302 200"),
    "admin/lexique/": ("/admin/lexique/", "302 302 302 302 302 302 200"),
    "admin/users/": ("/admin/users/", "302 302 302 302 302 302 200"),
    "admin/groups/": ("/admin/groups/", "302 302 302 302 302 302 200"),
}
# fmt: on
ADMIN_PREFIX = "admin/"
# Holding one of these links is the entitlement (sent by e-mail to the structure).
SIGNED_LINKS = ("prescriptions/reponse/",)


def test_every_route_of_the_project_has_its_line_in_the_matrix():
    missing = set(project_routes()) - set(MATRIX)
    assert not missing, f"Routes sans ligne dans la matrice des permissions : {sorted(missing)}"


def test_the_admin_lines_name_real_routes():
    admin_routes = {route for route in MATRIX if route.startswith(ADMIN_PREFIX)}
    assert admin_routes and admin_routes <= set(all_routes())


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_expected_answer_on_every_url(client, world, role):
    if role != "anonyme":
        client.force_login(world["users"][role])
    unexpected = []
    for route, (url, codes) in MATRIX.items():
        url = url.format(**world)
        response = client.get(url)
        expected = int(codes.split()[ROLES.index(role)])
        if response.status_code != expected:
            unexpected.append(f"{url} : {response.status_code} au lieu de {expected}")
        if role not in READERS and not route.startswith(SIGNED_LINKS):
            assert SECRET_NAME.encode() not in body(response), (role, url)
    assert not unexpected, f"{role} : " + " ; ".join(unexpected)


def test_the_matrix_can_fail(client, world):
    """A control: the externe professional does not get the référent's answer."""
    client.force_login(world["users"]["externe"])
    url, codes = MATRIX["prescriptions/<int:pk>/"]
    response = client.get(url.format(**world))

    assert response.status_code != int(codes.split()[ROLES.index("referent")])
    client.force_login(world["users"]["referent"])
    assert SECRET_NAME.encode() in client.get(url.format(**world)).content
