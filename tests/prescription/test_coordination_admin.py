"""Staff manage the coordinations SPIE in the Wagtail admin; structure members cannot."""

import pytest

from accounts.models import Coordination
from tests.factories import MembreFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_staff_create_a_coordination_of_an_epci(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    member = UserFactory()

    response = client.post(
        "/admin/coordinations/new/",
        {"nom": "Coordination de la Métropole", "epci": "200054807", "membres": [member.pk]},
    )

    assert response.status_code == 302
    coordination = Coordination.objects.get()
    assert coordination.epci_id == "200054807" and list(coordination.membres.all()) == [member]


def test_a_coordination_covers_one_territory_only(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    response = client.post(
        "/admin/coordinations/new/", {"nom": "Les deux", "departement": "13", "epci": "200054807"}
    )

    assert "Une coordination couvre un département ou un EPCI." in response.content.decode()
    assert not Coordination.objects.exists()


def test_structure_members_cannot_manage_coordinations(client):
    client.force_login(MembreFactory().user)

    response = client.get("/admin/coordinations/")

    assert response.status_code in (302, 403)
    assert "Coordinations SPIE" not in client.get("/admin/").content.decode()
