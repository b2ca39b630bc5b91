"""The fiche relais form as people work: the SPIE 13 template's rows in steps saved one by one,
a status scale fitted to each item of the socle, and old versions read with the grid of their
time."""

import pytest

from fiche_relais import services, template
from fiche_relais.models import Version
from tests.fiche_relais.test_fiche_relais import sent

pytestmark = pytest.mark.django_db

# Every row of « LA FICHE RELAIS SPIE » (seed 001), as the fiche shows it.
SEED_ROWS = [
    "Nom", "Prénom", "Date d'entrée dans le dispositif", "Structure", "Référence", "Mail et tél.",
    "Contact du référent d'étape (tél. et mail)", "Contact du précédent référent (tél. et mail)",
    "Historique de l'accompagnement, diagnostic",
    "Vision globale des principales étapes pour les parcours longs",
    "Analyse fine des étapes du parcours", "Diagnostic", "Freins identifiés, levés",
    "Accompagnement pro", "Préconisation explicitée", "Qui a orienté la personne à l'origine ?",
    "Comment ?", "Pourquoi ? Quels étaient les objectifs de l'orientation ?",
    "Différents freins identifiés et synthèse sur les éléments travaillés",
    "Analyse du professionnel / Suites préconisées", "Projet professionnel travaillé",
    "Actions emploi / activité réalisées / non réalisées",
    "Formations proposées / réalisées / non réalisées", "Quoi", "Pourquoi", "Quand",
    "Prochaines étapes", "Intégration au contrat (CER, PPAE, CEJ, PACEA, contrat PLIE…)",
]  # fmt: skip


@pytest.fixture
def fiche(world, client):
    fiche = services.nouvelle_fiche(world.personne, world.referent_depart, world.structure_depart)
    client.force_login(world.referent_depart)
    return fiche


def html(response):
    assert response.status_code == 200
    return response.content.decode()


def socle(page):
    """The socle commun de diagnostic table of a fiche page."""
    start = page.index('<table id="socle">')
    return page[start : page.index("</table>", start)]


def test_every_row_of_the_template_is_on_the_fiche_in_its_order(client, fiche):
    page = html(client.get(f"/parcours/fiches/{fiche.pk}/"))

    positions = [page.index(f">{row}</dt>".replace("'", "&#x27;")) for row in SEED_ROWS]
    assert positions == sorted(positions)
    assert "ines@example.org" in page  # the person's mail, from her record
    for step in template.STEPS:
        assert f">{step.title}</h2>".replace("'", "&#x27;") in page


def test_each_step_saves_its_own_rows_and_leads_to_the_next(client, fiche):
    url = f"/parcours/fiches/{fiche.pk}/modifier/"
    first = html(client.get(url))
    assert "Étape 1 sur 7" in first and "PLIE Aubagne" in first  # « Structure » prefilled
    assert 'name="historique"' not in first

    response = client.post(f"{url}?etape=historique", {
        "historique": "Six mois au PLIE.", "diagnostic_synthese": "Projet d'aide à domicile.",
        "freins_identifies_leves": "Permis : levé.", "continuer": "1",
    })  # fmt: skip
    assert response["Location"] == f"{url}?etape=socle"
    client.post(f"{url}?etape=objectifs", {"integration_contrat": "Avenant au CER."})

    content = fiche.derniere_version.contenu
    assert content["historique"] == "Six mois au PLIE."
    assert content["freins_identifies_leves"] == "Permis : levé."
    assert content["integration_contrat"] == "Avenant au CER."
    assert content["structure"] == "PLIE Aubagne"  # the other steps are kept
    assert fiche.versions.count() == 1
    last = client.post(f"{url}?etape=objectifs", {"quoi": "", "continuer": "1"})
    assert last["Location"] == f"/parcours/fiches/{fiche.pk}/"


def test_the_status_scale_fits_the_item(client, fiche):
    page = html(client.get(f"/parcours/fiches/{fiche.pk}/modifier/?etape=socle"))

    def options(slug):
        start = page.index(f'name="diag_{slug}_statut"')
        return page[start : page.index("</select>", start)]

    assert "Frein identifié" in options("mobilite") and "Levé" in options("mobilite")
    for atout in ("centres-interet", "aptitudes-atouts"):
        assert "Atout identifié" in options(atout) and "Frein identifié" not in options(atout)
    assert "Exprimé par la personne" in options("aspirations")
    refused = client.post(
        f"/parcours/fiches/{fiche.pk}/modifier/?etape=socle",
        {"diag_centres-interet_statut": "frein-identifie"},
    )
    assert refused.status_code == 200 and "Sélectionnez un choix valide" in refused.content.decode()
    assert fiche.derniere_version.contenu["diagnostic"]["centres-interet"]["statut"] == ""


def test_a_version_older_than_an_item_of_the_socle_is_read_without_it(client, fiche):
    """A version written before an item was added (stored without `grille`, as versions were)."""
    version = fiche.derniere_version
    contenu = version.contenu
    del contenu["grille"]
    del contenu["diagnostic"]["numerique"]
    contenu["diagnostic"]["mobilite"] = {"statut": "frein-identifie", "commentaire": "Sans permis"}
    Version.objects.filter(pk=version.pk).update(contenu=contenu)

    page = socle(html(client.get(f"/parcours/fiches/{fiche.pk}/")))
    assert "Sans permis" in page and "Mobilité" in page and "Maîtrise du numérique" not in page
    assert client.get(f"/parcours/fiches/{fiche.pk}/fiche.pdf").status_code == 200
    form = html(client.get(f"/parcours/fiches/{fiche.pk}/modifier/?etape=socle"))
    assert "Maîtrise du numérique" in form  # today's grid to write the next version


def test_adding_an_item_to_the_socle_leaves_older_versions_on_their_grid(
    client, world, fiche, monkeypatch, django_capture_on_commit_callbacks
):
    sent(world, django_capture_on_commit_callbacks, fiche, destinataire=world.referent_arrivee)
    grown = [*template.SPHERES[:-1], ("Projection", [*template.SPHERES[-1][1],
                                                     ("reseau", "Réseau personnel")])]  # fmt: skip
    monkeypatch.setattr(template, "SPHERES", grown)

    url = f"/parcours/fiches/{fiche.pk}/modifier/?etape=socle"
    assert "Réseau personnel" in html(client.get(url))
    client.post(url, {"diag_reseau_statut": "frein-identifie", "diag_reseau_commentaire": "Isolée"})

    assert fiche.versions.count() == 2
    first = html(client.get(f"/parcours/fiches/{fiche.pk}/?version=1"))
    assert "Réseau personnel" not in socle(first)
    assert "la grille de diagnostic de son époque" in first
    latest = html(client.get(f"/parcours/fiches/{fiche.pk}/"))
    assert "Réseau personnel" in socle(latest) and "Isolée" in socle(latest)
    assert client.get(f"/parcours/fiches/{fiche.pk}/fiche.pdf?version=1").status_code == 200
    assert client.get(f"/parcours/fiches/{fiche.pk}/?version=9").status_code == 404
