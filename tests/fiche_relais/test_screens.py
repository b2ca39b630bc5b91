"""The fiche relais screens, through the views: the référent's journey and bad input."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from fiche_relais.models import FicheRelais, Personne
from tests.factories import MembreFactory

pytestmark = pytest.mark.django_db


def test_referent_journey_through_the_screens(client, django_capture_on_commit_callbacks):
    referent_a = MembreFactory().user
    referent_b = MembreFactory().user
    client.force_login(referent_a)

    response = client.post("/parcours/personnes/nouvelle/", {
        "nom": "Durand", "prenom": "Inès", "commune_texte": "Aubagne", "dispositif": "PLIE",
        "contrat": "plie", "debut": "2026-05-04",
    })  # fmt: skip
    personne = Personne.objects.get()
    assert response["Location"] == f"/parcours/personnes/{personne.pk}/"
    assert personne.commune_id == "13005" and personne.etape_en_cours.referent == referent_a
    assert "Inès Durand" in client.get("/parcours/").content.decode()

    client.post(
        f"/parcours/personnes/{personne.pk}/consentement/",
        {"mode": "accord", "portee": "Partage avec le prochain référent."},
    )
    client.post(f"/parcours/personnes/{personne.pk}/fiches/nouvelle/")
    fiche = FicheRelais.objects.get()
    url = f"/parcours/fiches/{fiche.pk}/modifier/"
    client.post(f"{url}?etape=historique", {"historique": "Six mois au PLIE."})
    client.post(f"{url}?etape=socle", {
        "diag_mobilite_statut": "frein-identifie", "diag_mobilite_commentaire": "Pas de permis.",
    })  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/parcours/fiches/{fiche.pk}/envoyer/", {
            "destinataire": referent_b.email, "dispositif_propose": "CEJ", "contrat_propose": "cej",
            "structure_destinataire": referent_b.memberships.get().structure_id,
            "consentement": personne.consentements.get().pk, "rencontre_tripartite": "on",
        })  # fmt: skip
    fiche.refresh_from_db()
    assert fiche.statut == "envoyee" and fiche.rencontre_tripartite
    assert fiche.derniere_version.contenu["diagnostic"]["mobilite"] == {
        "statut": "frein-identifie", "commentaire": "Pas de permis.",
    }  # fmt: skip

    client.force_login(referent_b)
    page = client.get(f"/parcours/fiches/{fiche.pk}/").content.decode()
    assert (
        "Six mois au PLIE." in page and "Frein identifié" in page and "Je prends le relais" in page
    )
    assert "Inès Durand" in client.get("/parcours/").content.decode()  # waiting for me
    client.post(f"/parcours/fiches/{fiche.pk}/relais/", {"dispositif": "CEJ", "contrat": "cej"})
    assert personne.etape_en_cours.referent == referent_b


def _draft_through_the_pages(client):
    """The logged-in référent follows Inès Durand and drafts her fiche relais."""
    client.post("/parcours/personnes/nouvelle/", {
        "nom": "Durand", "prenom": "Inès", "commune_texte": "13400", "dispositif": "PLIE",
        "contrat": "plie", "debut": "2026-05-04",
    })  # fmt: skip
    personne = Personne.objects.get()
    client.post(f"/parcours/personnes/{personne.pk}/fiches/nouvelle/")
    return FicheRelais.objects.get()


def test_sending_without_consent_is_refused_with_a_message(client):
    referent = MembreFactory().user
    client.force_login(referent)
    fiche = _draft_through_the_pages(client)

    response = client.post(f"/parcours/fiches/{fiche.pk}/envoyer/", {
        "destinataire": referent.email, "dispositif_propose": "CEJ", "contrat_propose": "cej",
    }, follow=True)  # fmt: skip

    assert "Consentement de la personne" in response.content.decode()
    fiche.refresh_from_db()
    assert fiche.statut == "brouillon"


def test_only_the_current_referent_starts_a_fiche(client):
    referent = MembreFactory().user
    client.force_login(referent)
    client.post("/parcours/personnes/nouvelle/", {
        "nom": "Durand", "prenom": "Inès", "commune_texte": "Aubagne", "dispositif": "PLIE",
        "contrat": "plie", "debut": "2026-05-04",
    })  # fmt: skip
    personne = Personne.objects.get()
    client.force_login(MembreFactory().user)

    assert client.post(f"/parcours/personnes/{personne.pk}/fiches/nouvelle/").status_code == 404
    assert not FicheRelais.objects.exists()


@pytest.mark.parametrize(
    "data, error",
    [
        ({"mode": "signature"}, "Faites signer la personne"),
        ({"mode": "signature", "signature": "javascript:alert(1)"}, "Faites signer la personne"),
        ({"mode": "scan"}, "Joignez le document signé"),
    ],
)
def test_consent_needs_its_proof(client, data, error):
    personne = new_person(client)

    response = client.post(f"/parcours/personnes/{personne.pk}/consentement/", data, follow=True)

    assert error in response.content.decode()
    assert not personne.consentements.exists()


def test_a_drawn_signature_and_a_contact_are_recorded(client):
    personne = new_person(client)
    signature = "data:image/png;base64,iVBORw0KGgo="

    client.post(
        f"/parcours/personnes/{personne.pk}/consentement/",
        {
            "mode": "signature",
            "signature": signature,
            "portee": "Partage avec le référent suivant.",
        },
    )
    client.post(f"/parcours/personnes/{personne.pk}/contact/")

    assert personne.consentements.get().signature == signature
    personne.refresh_from_db()
    assert personne.dernier_contact is not None
    assert "il y a" in client.get("/parcours/").content.decode()


def new_person(client):
    client.force_login(MembreFactory().user)
    client.post("/parcours/personnes/nouvelle/", {
        "nom": "Durand", "prenom": "Inès", "commune_texte": "Aubagne", "dispositif": "PLIE",
        "contrat": "plie", "debut": "2026-05-04",
    })  # fmt: skip
    return Personne.objects.get()


def test_the_file_active_costs_the_same_queries_for_one_or_many_people(client):
    referent = MembreFactory().user
    client.force_login(referent)

    def follow(name):
        client.post("/parcours/personnes/nouvelle/", {
            "nom": name, "prenom": "Inès", "commune_texte": "Aubagne", "dispositif": "PLIE",
            "contrat": "plie", "debut": "2026-05-04",
        })  # fmt: skip

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/parcours/").status_code == 200
        return len(captured)

    follow("Un")
    with_one = queries()
    for name in ("Deux", "Trois", "Quatre"):
        follow(name)

    assert queries() == with_one


def test_the_answer_is_the_same_whether_an_address_has_an_account(client):
    """The référent is looked up among the chosen structure's members: an address with an
    account elsewhere and an address without account get the same message."""
    referent = MembreFactory().user
    structure = MembreFactory().structure
    with_account = MembreFactory().user.email  # a member of another structure
    client.force_login(referent)
    fiche = _draft_through_the_pages(client)

    def message(email):
        response = client.post(f"/parcours/fiches/{fiche.pk}/envoyer/", {
            "destinataire": email, "structure_destinataire": structure.pk,
            "dispositif_propose": "CEJ", "contrat_propose": "cej",
        }, follow=True)  # fmt: skip
        return re.search(r"Aucun[^<]*", response.content.decode())[0].replace(email, "…")

    assert message(with_account) == message("sans-compte@example.org")
