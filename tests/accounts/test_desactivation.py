"""Deactivating an account removes its access at its next request, whatever it was doing."""

import pytest

from accounts.models import User
from catalogue.models import Membre
from tests.factories import PASSWORD, CoordinationFactory, MembreFactory

pytestmark = pytest.mark.django_db


def test_a_deactivated_structure_admin_coordinator_loses_every_access_at_once(client):
    user = MembreFactory(role=Membre.Role.ADMIN).user
    CoordinationFactory(membres=[user])
    client.post("/comptes/connexion/", {"username": user.email, "password": PASSWORD})
    pages = ["/comptes/", "/prescriptions/", "/actualisation/coordination/", "/admin/"]
    assert [client.get(url).status_code for url in pages] == [200, 200, 200, 200]

    User.objects.filter(pk=user.pk).update(is_active=False)

    for url in pages:
        response = client.get(url)
        assert response.status_code == 302, url
        assert "connexion" in response["Location"] or "login" in response["Location"], url
    refused = client.post("/comptes/connexion/", {"username": user.email, "password": PASSWORD})
    assert refused.status_code == 200  # the form again, with its error
    assert client.get("/comptes/").status_code == 302
