"""« Ma sélection »: kept in the session (ids only), printed as a PDF read back as text (names,
addresses, hours, contacts, the QR codes' URLs, a plan), e-mailed like « Partager »."""

import io

from django.contrib.sessions.backends.db import SessionStore
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest
import segno
from pypdf import PdfReader

from config.pdf import Document
from partage import pdf, selection
from partage.services import describe
from tests.factories import ServiceFactory, StructureFactory, UserFactory
from tests.partage.conftest import PRIVATE_PHONE, STRUCTURE_PHONE
from tests.utils.pdf import pdf_text

pytestmark = pytest.mark.django_db


AUBAGNE = {"code_insee": "13005", "code_postal": "13400", "commune": "Aubagne"}


@pytest.fixture
def three(private_service):
    """Three services in two communes; the first's contact is private."""
    centre = StructureFactory(
        nom="Centre social d'Aubagne", latitude=43.2927, longitude=5.5708, **AUBAGNE
    )
    return [
        private_service,
        ServiceFactory(
            nom="Garde d'enfants en horaires décalés",
            structure=centre,
            contact_public=True,
            adresse="3 cours Foch",
            latitude=43.2930,
            longitude=5.5710,
            telephone="0442111111",
            horaires_accueil="Tu,Th 14:00-18:00",
            **AUBAGNE,
        ),
        ServiceFactory(nom="Atelier CV à distance", modes_accueil=["a-distance"]),
    ]


def _add(client, services, **extra):
    data = {"services": [str(service.pk) for service in services], "next": "/recherche/?lieu=x"}
    return client.post("/selection/ajouter/", data, **extra)


def test_ticked_services_join_the_selection_in_order_once(client, three):
    response = _add(client, three[1:])
    assert response.status_code == 302
    assert response["Location"] == "/recherche/?lieu=x"
    _add(client, [three[2], three[0]])

    assert selection.ids(client.session) == [three[1].pk, three[2].pk, three[0].pk]
    assert client.session[selection.KEY] == [three[1].pk, three[2].pk, three[0].pk]
    page = client.get("/selection/").content.decode()
    assert page.index(three[1].nom.replace("'", "&#x27;")) < page.index(three[0].nom)


def test_a_service_one_may_not_see_is_not_added(client, three):
    three[0].statut = "brouillon"
    three[0].save()

    _add(client, [three[0]])

    assert selection.ids(client.session) == []


def test_a_foreign_next_is_not_followed(client, three):
    response = client.post(
        "/selection/ajouter/", {"services": [three[0].pk], "next": "https://ailleurs.example/"}
    )
    assert response["Location"] == "/selection/"


def test_the_selection_is_bounded(client, three, monkeypatch):
    monkeypatch.setattr(selection, "MAX_SERVICES", 2)
    _add(client, three)
    assert len(selection.ids(client.session)) == 2


def test_remove_one_then_all(client, three):
    _add(client, three)
    client.post("/selection/retirer/", {"service": three[1].pk})
    assert selection.ids(client.session) == [three[0].pk, three[2].pk]
    client.post("/selection/retirer/")
    assert selection.ids(client.session) == []
    assert "Votre sélection est vide" in client.get("/selection/").content.decode()


def test_an_unpublished_service_leaves_the_printed_selection(client, three):
    _add(client, three)
    three[2].statut = "archive"
    three[2].save()

    text = pdf_text(client.get("/selection/imprimer/").content)

    assert three[0].nom in text and three[2].nom not in text


def test_the_printed_list_has_addresses_hours_contacts_and_the_qr_s_urls(client, three):
    _add(client, three)

    response = client.get("/selection/imprimer/", {"mise_en_page": "liste"})

    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for service in three:
        assert service.nom in text
        assert f"Page du service : http://testserver/services/{service.pk}/" in text
    for printed in (
        "Adresse : 12 rue de la République, 13001 Marseille",
        "Adresse : 3 cours Foch, 13400 Aubagne",
        "Adresse : service à distance",
        "Horaires : du lundi au vendredi de 9 h 00 à 12 h 00",
        "Horaires : mardi, jeudi de 14 h 00 à 18 h 00",
        "À apporter, conditions d'accès : Avoir un projet professionnel.",
        f"Contact de la structure : Téléphone : {STRUCTURE_PHONE}",
        "Contact : Téléphone : 0442111111",
        "Sans position sur le plan (à distance ou sans adresse) : 1.",
    ):
        assert printed in text
    assert PRIVATE_PHONE not in text  # an anonymous visitor's printout
    assert "Marseille" in text and "Aubagne" in text  # the plan's communes


def test_a_professional_s_printout_has_the_private_contact(client, three):
    client.force_login(UserFactory())
    _add(client, three)

    text = pdf_text(client.get("/selection/imprimer/").content)

    assert f"Contact : Nadia Haddad ; Téléphone : {PRIVATE_PHONE}" in text


def test_one_page_per_service(client, three):
    _add(client, three)

    content = client.get("/selection/imprimer/", {"mise_en_page": pdf.PAGES}).content

    pages = PdfReader(io.BytesIO(content)).pages
    assert len(pages) == 1 + len(three)  # the plan, then each service
    for page, service in zip(pages[1:], three, strict=True):
        text = " ".join(page.extract_text().split())
        assert service.nom in text
        assert "Une aide pour financer une partie du permis B" in text  # what it is


def test_an_empty_selection_prints_nothing(client):
    response = client.get("/selection/imprimer/")
    assert response.status_code == 302


def test_the_selection_is_e_mailed_like_a_share(client, three):
    _add(client, three)

    response = client.post("/selection/envoyer/", {"courriel": "lea@example.net"})

    assert response.status_code == 302
    [message] = mail.outbox
    assert message.subject == "3 services d'insertion vous sont transmis"
    for service in three:
        assert service.nom in message.body
    assert PRIVATE_PHONE not in message.body
    assert "3 services du portail" in message.body
    assert len(pdf_text(message.attachments[0][1])) > 0


def test_the_qr_code_drawn_is_the_url_s():
    """The rectangles drawn, read back from the PDF's content, are segno's modules of the
    URL: a reader scanning the code opens the service's page."""
    url = "http://testserver/services/42/"
    document = Document("QR")
    x, y, size = 50, 60, 29
    pdf.draw_qr(document, url, x, y, size)

    operations = PdfReader(io.BytesIO(document.bytes())).pages[0].get_contents().operations
    rects = [[float(value) for value in operands] for operands, op in operations if op == b"re"]
    expected = [[bool(module) for module in row] for row in segno.make_qr(url, error="m").matrix]
    modules = len(expected)
    module_pt = size / modules * 72 / 25.4
    page_height_pt = document.h * 72 / 25.4
    drawn = [[False] * modules for _ in range(modules)]
    for left, bottom, width, height in rects:
        column = round((left - x * 72 / 25.4) / module_pt)
        top = page_height_pt - bottom - abs(height) if height > 0 else page_height_pt - bottom
        row = round((top - y * 72 / 25.4) / module_pt)
        for offset in range(round(width / module_pt)):
            drawn[row][column + offset] = True
    assert drawn == expected


def test_dark_runs():
    assert pdf.dark_runs([1, 1, 0, 1, 0, 0, 1, 1, 1]) == [(0, 2), (3, 1), (6, 3)]
    assert pdf.dark_runs([0, 0]) == []


def test_the_plan_keeps_distances_and_north_up(three):
    infos = [describe(service) for service in three]

    drawn = pdf.plan(infos, width=190, height=70)

    (_, x1, y1), (_, x2, y2) = drawn.points  # the service at a distance is not placed
    assert [number for number, _, _ in drawn.points] == [1, 2]
    assert x2 > x1  # Aubagne is east of Marseille
    kilometres = ((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5 / (drawn.scale_mm / drawn.scale_km)
    assert kilometres == pytest.approx(16.3, abs=0.5)  # as the crow flies
    assert all(0 <= x <= 190 and 0 <= y <= 70 for _, x, y in drawn.points)
    assert drawn.scale_mm <= 190 / 3
    assert {name for name, _, _ in drawn.communes} == {"Marseille", "Aubagne"}


def test_no_plan_without_positions(three):
    assert pdf.plan([describe(three[2])], width=190, height=70) is None


def test_a_lowered_limit_adds_nothing_to_a_selection_already_beyond_it(monkeypatch):
    monkeypatch.setattr(selection, "MAX_SERVICES", 2)
    session = {selection.KEY: [1, 2, 3]}

    assert selection.add(session, [4, 5]) == 0
    assert session[selection.KEY] == [1, 2, 3]


def test_adding_what_is_already_selected_leaves_the_session_unwritten():
    session = SessionStore()
    session[selection.KEY] = [1, 2]
    session.modified = False

    assert selection.add(session, [2, 1]) == 0
    assert not session.modified
    assert selection.add(session, [3]) == 1
    assert session.modified and selection.ids(session) == [1, 2, 3]


@pytest.mark.parametrize(
    ("method", "url", "data"),
    [
        ("get", "/selection/", {}),
        ("get", "/selection/imprimer/", {}),
        ("post", "/selection/envoyer/", {"courriel": "lea@example.net"}),
    ],
)
def test_a_selection_is_read_in_as_many_queries_whatever_its_size(client, method, url, data):
    """The services and their structures in one query: none per service nor per structure."""

    def queries(count):
        client.post("/selection/retirer/")
        _add(client, [ServiceFactory() for _ in range(count)])  # each of its own structure
        with CaptureQueriesContext(connection) as captured:
            assert getattr(client, method)(url, data).status_code in (200, 302)
        return len(captured)

    assert queries(1) == queries(6)
