"""Personal data stays where it may be read: the duplicate warning of the prescription form, its
`?depuis=` prefill and the fiche relais prefill only look at what the user may already read;
the coordination's person search travels in a POST body, not in a URL."""

import datetime

import pytest

from fiche_relais import services as fiche_services
from fiche_relais.models import Etape, Personne
from prescription.models import Prescription
from tests.factories import MembreFactory, PrescriptionFactory, ServiceFactory, UserFactory
from tests.prescription.conftest import form_data

pytestmark = pytest.mark.django_db

ELSEWHERE = "Garage solidaire du Tarn"
BORN = datetime.date(1990, 4, 12)  # form_data's


@pytest.fixture
def oriented_elsewhere():
    """Léa Martin (the form's person) oriented in the Tarn by someone else, still open."""
    return PrescriptionFactory(
        nom="Martin", prenom="Léa", date_naissance=BORN, commune_id="81004",
        service=ServiceFactory(nom=ELSEWHERE, thematiques=["mobilite--acceder-a-un-vehicule"]),
    )  # fmt: skip


def test_the_duplicate_warning_ignores_prescriptions_the_user_cannot_read(
    client, oriented_elsewhere, mails
):
    service = ServiceFactory(thematiques=["mobilite--acceder-a-un-vehicule"])
    client.force_login(MembreFactory().user)

    with mails(execute=True):
        response = client.post(f"/services/{service.pk}/orienter/", form_data())

    assert response.status_code == 302, "warned about a prescription it may not read"
    assert ELSEWHERE.encode() not in response.content


def test_the_duplicate_warning_still_shows_what_the_user_may_read(client, mails):
    prescripteur = MembreFactory().user
    mine = PrescriptionFactory(
        nom="Martin", prenom="Léa", date_naissance=BORN, prescripteur=prescripteur,
        service=ServiceFactory(nom=ELSEWHERE, thematiques=["mobilite--acceder-a-un-vehicule"]),
    )  # fmt: skip
    service = ServiceFactory(thematiques=["mobilite--acceder-a-un-vehicule"])
    client.force_login(prescripteur)

    response = client.post(f"/services/{service.pk}/orienter/", form_data())

    assert ELSEWHERE in response.content.decode() and Prescription.objects.count() == 1
    assert mine.statut == Prescription.objects.get().statut


def test_depuis_prefills_only_for_the_prescripteur(client):
    previous = PrescriptionFactory(identifiant_france_travail="FT-7654321")
    receiver = MembreFactory(structure=previous.service.structure).user
    url = f"/services/{previous.service.pk}/orienter/?depuis={previous.pk}"

    client.force_login(receiver)  # reads the prescription (not yet accepted)
    assert client.get(f"/prescriptions/{previous.pk}/").status_code == 200
    page = client.get(url).content.decode()
    assert "FT-7654321" not in page and previous.nom not in page

    client.force_login(previous.prescripteur)
    assert "FT-7654321" in client.get(url).content.decode()


def test_the_fiche_relais_prefill_ignores_prescriptions_the_author_cannot_read(
    oriented_elsewhere,
):
    referent = MembreFactory().user
    personne = Personne.objects.create(
        nom="Martin", prenom="Léa", date_naissance=BORN, commune_id="13005",
        cree_par=referent,
    )  # fmt: skip
    Etape.objects.create(personne=personne, referent=referent,
                         structure=referent.memberships.get().structure, dispositif="PLIE",
                         contrat=Etape.Contrat.PLIE, debut=BORN)  # fmt: skip
    mine = PrescriptionFactory(nom="Martin", prenom="Léa", date_naissance=BORN,
                               prescripteur=referent)  # fmt: skip

    fiche = fiche_services.nouvelle_fiche(personne, referent, personne.etape_en_cours.structure)

    historique = fiche.derniere_version.contenu["historique"]
    assert mine.service.nom in historique and ELSEWHERE not in historique


def test_the_coordination_person_search_is_a_post(client):
    from tests.factories import CoordinationFactory

    coordinator = UserFactory()
    CoordinationFactory(membres=[coordinator])
    client.force_login(coordinator)
    url = "/parcours/coordination/donnees-personne/"

    assert 'method="post"' in client.get(url).content.decode()
    by_get = client.get(url, {"nom": "Martin", "prenom": "Léa"})
    assert by_get.get("Content-Disposition") is None  # names in a URL are not searched
    by_post = client.post(url, {"nom": "Martin", "prenom": "Léa"})
    assert by_post["Content-Disposition"] == 'attachment; filename="donnees-personne.json"'
