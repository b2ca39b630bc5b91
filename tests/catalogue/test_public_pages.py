import pytest

from catalogue.models import Service
from pages.demo import create_editorial_pages
from tests.factories import ServiceFactory, StructureFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_service_page_shows_what_for_whom_how_and_where(client):
    service = ServiceFactory(
        publics=["jeunes"],
        conditions_acces="Avoir entre 16 et 25 ans.",
        modes_mobilisation=["telephoner"],
        mobilisable_par=["professionnels"],
        horaires_accueil="Mo-Fr 09:00-12:00",
    )
    html = client.get(f"/services/{service.pk}/").content.decode()
    assert '<html lang="fr"' in html
    assert service.nom in html
    assert "Préparer un permis" in html  # thématique label, not slug
    assert "Jeunes" in html
    assert "Avoir entre 16 et 25 ans." in html
    assert "Téléphoner" in html
    assert "12 rue de la République, 13001 Marseille" in html
    assert "du lundi au vendredi de 9 h 00 à 12 h 00" in html
    assert 'data-portail-lat="43.297000"' in html
    assert "Mis à jour aujourd&#x27;hui" in html


def test_a_service_without_mobilisation_details_says_whom_to_contact(client):
    service = ServiceFactory(
        modes_mobilisation=[], mobilisable_par=[], mobilisation_precisions="", lien_mobilisation=""
    )
    html = client.get(f"/services/{service.pk}/").content.decode()
    heading = html.index("Comment y être orienté ?")
    assert "Contactez la structure" in html[heading : heading + 300]


def test_contacts_are_hidden_from_the_public(client):
    service = ServiceFactory()
    html = client.get(f"/services/{service.pk}/").content.decode()
    assert service.telephone not in html
    assert service.courriel not in html
    assert service.contact_nom_prenom not in html
    assert "réservées aux professionnels connectés" in html


def test_contacts_are_shown_to_logged_in_professionals(client):
    service = ServiceFactory()
    client.force_login(UserFactory())
    html = client.get(f"/services/{service.pk}/").content.decode()
    assert service.telephone in html
    assert service.courriel in html
    assert service.contact_nom_prenom in html


def test_public_contacts_never_show_the_contact_name(client):
    service = ServiceFactory(contact_public=True)
    html = client.get(f"/services/{service.pk}/").content.decode()
    assert service.telephone in html
    assert service.contact_nom_prenom not in html


@pytest.mark.parametrize("statut", [Service.Statut.BROUILLON, Service.Statut.ARCHIVE])
def test_unpublished_services_are_not_found(client, statut):
    service = ServiceFactory(statut=statut)
    assert client.get(f"/services/{service.pk}/").status_code == 404


def test_suspended_service_is_shown_with_a_warning(client):
    service = ServiceFactory(statut=Service.Statut.SUSPENDU)
    assert "temporairement suspendu" in client.get(f"/services/{service.pk}/").content.decode()


def test_structure_page_lists_its_published_services_and_antennes(client):
    structure = StructureFactory()
    published = ServiceFactory(structure=structure)
    draft = ServiceFactory(structure=structure, statut=Service.Statut.BROUILLON)
    antenne = StructureFactory(structure_parente=structure, nom="Antenne de Noailles")
    html = client.get(f"/structures/{structure.pk}/").content.decode()
    assert published.nom in html
    assert draft.nom not in html
    assert antenne.nom in html


def test_unpublished_structure_is_not_found(client):
    structure = StructureFactory(est_publiee=False)
    assert client.get(f"/structures/{structure.pk}/").status_code == 404


def test_not_found_is_a_french_dsfr_page(client):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="fr"' in html
    assert "Page introuvable" in html
    assert "fr-header" in html


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("/", "moins de 20 km"),
        ("/livret-d-accueil/", "Vos droits et vos devoirs"),
        ("/lexique/", "Référent d&#x27;étape"),
    ],
)
def test_editorial_pages(client, path, text):
    create_editorial_pages()
    response = client.get(path)
    assert response.status_code == 200
    assert text in response.content.decode()


def test_editorial_pages_are_created_once():
    first = create_editorial_pages()
    assert create_editorial_pages() == first
