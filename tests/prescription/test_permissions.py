"""Every prescription URL × every role: those entitled see it, everyone else gets a 404 (or the
login page when anonymous) — and the person's name never shows where it should not."""

from django.core.files.uploadedfile import SimpleUploadedFile

import pytest

from catalogue.models import Membre
from prescription import services
from prescription.models import PieceJointe, Statut
from tests.factories import (
    CoordinationFactory,
    MembreFactory,
    PrescriptionFactory,
    StructureFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

NAME = "Zoé Fictive"
LOGIN = 302
# detail, pdf, attachment, POST accept, coordination list, name in « mes prescriptions »,
# name in « prescriptions reçues », name in the coordination list
MATRIX = {
    "anonyme": (LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, None, None, None),
    "prescripteur": (200, 200, 200, 302, 404, True, False, None),
    "admin de la structure prescriptrice": (200, 200, 200, 404, 404, True, False, None),
    "membre de la structure prescriptrice": (404, 404, 404, 404, 404, False, False, None),
    "membre de la structure receveuse": (200, 200, 200, 302, 404, False, True, None),
    "coordination du département": (200, 200, 200, 404, 200, False, False, True),
    "coordination de l'EPCI": (200, 200, 200, 404, 200, False, False, True),
    "coordination d'un autre département": (404, 404, 404, 404, 200, False, False, False),
    "professionnel sans lien": (404, 404, 404, 404, 404, False, False, None),
}


@pytest.fixture
def world():
    sender_structure = StructureFactory()
    prescripteur = MembreFactory(structure=sender_structure).user
    prescription = PrescriptionFactory(
        prescripteur=prescripteur, structure_prescriptrice=sender_structure,
        prenom="Zoé", nom="Fictive", commune_id="13005",
    )  # fmt: skip
    piece = PieceJointe.objects.create(
        prescription=prescription, fichier=SimpleUploadedFile("a.pdf", b"%PDF-1.4"),
        nom="a.pdf", type="application/pdf", taille=8,
    )  # fmt: skip
    users = {
        "anonyme": None,
        "prescripteur": prescripteur,
        "admin de la structure prescriptrice": MembreFactory(
            structure=sender_structure, role=Membre.Role.ADMIN
        ).user,
        "membre de la structure prescriptrice": MembreFactory(structure=sender_structure).user,
        "membre de la structure receveuse": MembreFactory(
            structure=prescription.service.structure
        ).user,
        "coordination du département": CoordinationFactory(membres=[UserFactory()]).membres.get(),
        "coordination de l'EPCI": CoordinationFactory(
            nom="Coordination de la Métropole",
            departement_id=None,
            epci_id="200054807",
            membres=[UserFactory()],
        ).membres.get(),
        "coordination d'un autre département": CoordinationFactory(
            nom="Coordination du Var", departement_id="83", membres=[UserFactory()]
        ).membres.get(),
        "professionnel sans lien": UserFactory(),
    }
    return prescription, piece, users


@pytest.mark.parametrize("role", MATRIX)
def test_permission_matrix(client, world, role):
    prescription, piece, users = world
    if users[role]:
        client.force_login(users[role])
    base = f"/prescriptions/{prescription.pk}"
    detail, pdf, attachment, accept, coordination, in_sent, in_received, in_coordination = MATRIX[
        role
    ]

    assert client.get(f"{base}/").status_code == detail
    assert client.get(f"{base}/recapitulatif.pdf").status_code == pdf
    assert client.get(f"{base}/pieces/{piece.pk}/").status_code == attachment
    assert client.get("/prescriptions/coordination/").status_code == coordination
    if in_coordination is not None:
        assert (
            NAME in client.get("/prescriptions/coordination/").content.decode()
        ) is in_coordination
    if in_sent is not None:
        assert (NAME in client.get("/prescriptions/").content.decode()) is in_sent
        assert (NAME in client.get("/prescriptions/recues/").content.decode()) is in_received
        assert NAME not in client.get("/recherche/").content.decode()
    new_form = client.get(f"/services/{prescription.service_id}/orienter/").status_code
    assert new_form == (LOGIN if role == "anonyme" else 200)
    assert (
        client.get(f"/prescriptions/reponse/{services.link_token(prescription)}/").status_code
        == 200
    )
    assert client.get("/prescriptions/reponse/faux-jeton/").status_code == 400
    assert client.get(f"/prescriptions/reponse/faux-jeton/pieces/{piece.pk}/").status_code == 404
    assert client.post(f"{base}/actions/accepter/").status_code == accept
    prescription.refresh_from_db()
    expected = Statut.ACCEPTEE if role == "membre de la structure receveuse" else Statut.ENVOYEE
    assert prescription.statut == expected


def test_deactivated_account_loses_access_at_once(client, world):
    prescription, _, users = world
    prescripteur = users["prescripteur"]
    client.force_login(prescripteur)
    assert client.get(f"/prescriptions/{prescription.pk}/").status_code == 200

    prescripteur.is_active = False
    prescripteur.save()

    assert client.get(f"/prescriptions/{prescription.pk}/").status_code == LOGIN
