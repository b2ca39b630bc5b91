"""The file active: search and filters, people oriented by prescription, their prescriptions in
the parcours, and the people accompanied last month."""

from datetime import timedelta

from django.utils import timezone

import pytest
import time_machine

from fiche_relais.models import Etape
from tests.factories import PrescriptionFactory, UserFactory
from tests.fiche_relais.factories import EtapeFactory, FicheRelaisFactory, PersonneFactory

pytestmark = pytest.mark.django_db


def names(client, **filters):
    page = client.get("/parcours/", filters)
    assert page.status_code == 200
    html = page.content.decode()
    table = html[html.index("<tbody>") : html.index("</tbody>")]
    return [name for name in ("Inès Durand", "Léon Éboué", "Zoé Martin") if name in table]


@pytest.fixture
def file(world, client):
    """The departure référent follows Inès (PLIE, a fiche relais sent 20 days ago: « risque de
    rupture ») and Léon (CEJ); she oriented Zoé by a prescription, late."""
    referent = world.referent_depart
    EtapeFactory(
        personne=PersonneFactory(nom="Éboué", prenom="Léon"), referent=referent,
        structure=world.structure_depart, dispositif="CEJ", contrat="cej",
    )  # fmt: skip
    FicheRelaisFactory(
        envoyee=True, etape=world.personne.etape_en_cours, consentement=world.consentement,
        destinataire=world.referent_arrivee, structure_destinataire=world.structure_arrivee,
        envoyee_le=timezone.now() - timedelta(days=20),
    )  # fmt: skip
    PrescriptionFactory(prescripteur=referent, nom="Martin", prenom="Zoé",
                        envoyee_le=timezone.now() - timedelta(days=20))  # fmt: skip
    client.force_login(referent)
    return world


def test_search_and_filters(client, file):
    assert names(client) == ["Inès Durand", "Léon Éboué", "Zoé Martin"]
    assert names(client, q="eboue") == ["Léon Éboué"]
    assert names(client, q="DURAND ines") == ["Inès Durand"]
    assert names(client, etape="PLIE") == ["Inès Durand"]
    assert names(client, statut="relais-envoye") == ["Inès Durand"]
    assert names(client, statut="orientee") == ["Zoé Martin"]
    assert names(client, statut="accompagnee") == ["Inès Durand", "Léon Éboué"]
    assert names(client, alerte="on") == ["Inès Durand", "Zoé Martin"]
    page = client.get("/parcours/", {"alerte": "on"}).content.decode()
    assert "Risque de rupture" in page and "RDV en retard" in page and "2 personnes sur 3" in page


def test_a_person_oriented_by_prescription_appears_and_her_parcours_lists_them(client, file):
    other = PrescriptionFactory(nom="Durand", prenom="Inès", commune_id="13005")
    mine = PrescriptionFactory(prescripteur=file.referent_depart, nom="Durand", prenom="Inès")

    page = client.get(f"/parcours/personnes/{file.personne.pk}/").content.decode()
    listed = page[page.index('id="prescriptions"') :]
    assert other.service.nom in listed and mine.service.nom in listed
    assert f'href="{mine.get_absolute_url()}"' in listed  # I may read mine
    assert f'href="{other.get_absolute_url()}"' not in listed  # not someone else's

    zoe = client.get("/parcours/").content.decode()
    zoe_link = zoe[zoe.index("Zoé Martin") - 80 : zoe.index("Zoé Martin")]
    assert "/prescriptions/" in zoe_link


def test_the_people_i_accompanied_stay_readable_a_month(client, world):
    today = timezone.localdate()
    Etape.objects.filter(personne=world.personne).update(fin=today, motif_fin="Relais")
    EtapeFactory(personne=world.personne, referent=world.referent_arrivee,
                 structure=world.structure_arrivee, dispositif="CEJ", contrat="cej")  # fmt: skip
    client.force_login(world.referent_depart)
    parcours = f"/parcours/personnes/{world.personne.pk}/"

    page = client.get("/parcours/").content.decode()
    listed = page[page.index('id="accompagnees"') :]
    until = today + timedelta(days=31)
    assert "Inès Durand" in listed
    assert f"accès jusqu&#x27;au {until.day} " in listed or f"accès jusqu'au {until.day} " in listed
    assert client.get(parcours).status_code == 200
    with time_machine.travel(timedelta(days=31)):
        client.force_login(world.referent_depart)
        assert client.get(parcours).status_code == 200
    with time_machine.travel(timedelta(days=32)):
        client.force_login(world.referent_depart)
        assert client.get(parcours).status_code == 404
        assert "Inès Durand" not in client.get("/parcours/").content.decode()
    client.force_login(UserFactory())
    assert client.get(parcours).status_code == 404
