"""The structure taking over a fiche relais is found by name, commune or SIRET, the person's
territory first, homonyms told apart — with or without JavaScript."""

import pytest

from fiche_relais import services
from fiche_relais.models import FicheRelais
from tests.factories import StructureFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def homonyms():
    """« Mission locale » in four places; the person lives in Aubagne (EPCI Aix-Marseille)."""

    def structure(commune, code_insee, code_postal, siret):
        return StructureFactory(nom="Mission locale", commune=commune, code_insee=code_insee,
                                code_postal=code_postal, siret=siret, adresse="1 place")  # fmt: skip

    return {
        "lille": structure("Lille", "59350", "59000", "13002526500013"),
        "arles": structure("Arles", "13004", "13200", "35600000000048"),
        "marseille": structure("Marseille", "13055", "13001", "73282932000074"),
        "aubagne": structure("Aubagne", "13005", "13400", "44306184100047"),
    }


def suggestions(client, world, text):
    client.force_login(world.referent_depart)
    response = client.get(f"/parcours/personnes/{world.personne.pk}/structures/", {"q": text})
    assert response.status_code == 200
    return response.json()["results"]


def test_the_persons_territory_comes_first_and_homonyms_are_told_apart(client, world, homonyms):
    results = suggestions(client, world, "mission locale")

    homonyms["mission_locale_du_monde"] = world.structure_arrivee  # Marseille too, no address
    assert [r["id"] for r in results] == [
        homonyms[place].pk
        for place in ("aubagne", "mission_locale_du_monde", "marseille", "arles", "lille")
    ]
    assert len({r["label"] for r in results}) == 5
    assert results[0]["label"] == (
        "Mission locale — 1 place, 13400 Aubagne — SIRET 443 061 841 00047"
    )


def test_by_commune_or_siret(client, world, homonyms):
    assert [r["id"] for r in suggestions(client, world, "mission arles")] == [homonyms["arles"].pk]
    assert [r["id"] for r in suggestions(client, world, "356 000")] == [homonyms["arles"].pk]
    assert suggestions(client, world, "m") == []


def test_only_who_sees_the_person_gets_suggestions(client, world, homonyms):
    client.force_login(UserFactory())
    url = f"/parcours/personnes/{world.personne.pk}/structures/"
    assert client.get(url, {"q": "mission"}).status_code == 404


def send(client, world, **data):
    fiche = services.nouvelle_fiche(world.personne, world.referent_depart, world.structure_depart)
    client.force_login(world.referent_depart)
    page = client.get(f"/parcours/fiches/{fiche.pk}/").content.decode()
    assert (
        'name="structure_destinataire"' in page
        and '<select name="structure_destinataire"' not in page
    )
    response = client.post(f"/parcours/fiches/{fiche.pk}/envoyer/", {
        "dispositif_propose": "CEJ", "contrat_propose": "cej",
        "consentement": world.consentement.pk, **data,
    }, follow=True)  # fmt: skip
    fiche.refresh_from_db()
    return fiche, response.content.decode()


@pytest.mark.parametrize("typed", ["label", "siret"])
def test_without_javascript_a_label_or_a_siret_designates_one_structure(
    client, world, homonyms, typed, django_capture_on_commit_callbacks
):
    from fiche_relais.structures import label

    text = label(homonyms["arles"]) if typed == "label" else "356 000 000 00048"
    with django_capture_on_commit_callbacks(execute=True):
        fiche, _ = send(client, world, structure_texte=text)

    assert fiche.statut == FicheRelais.Statut.ENVOYEE
    assert fiche.structure_destinataire == homonyms["arles"]


def test_the_chosen_suggestion_wins_and_a_bare_homonym_is_refused(
    client, world, homonyms, django_capture_on_commit_callbacks
):
    fiche, page = send(client, world, structure_texte="Mission locale")
    assert fiche.statut == FicheRelais.Statut.BROUILLON
    assert "Plusieurs structures correspondent" in page

    with django_capture_on_commit_callbacks(execute=True):
        fiche, _ = send(client, world, structure_texte="Mission locale",
                        structure_destinataire=homonyms["lille"].pk)  # fmt: skip
    assert fiche.structure_destinataire == homonyms["lille"]
