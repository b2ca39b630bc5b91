"""ProConnect login against a real OpenID Connect provider started by the tests."""

from urllib.parse import parse_qs, urlsplit

from django.utils import timezone

import pytest
import requests

from accounts.models import User
from tests.factories import StructureFactory, UserFactory

pytestmark = pytest.mark.django_db

AGENT = {
    "email": "Camille.Ortega@conseil-departemental.fr",
    "given_name": "Camille",
    "usual_name": "Ortega",
    "siret": "22670001400019",
    "uid": "42",
}


def proconnect_login(client, provider, sub, next_url=""):
    start = client.get("/comptes/proconnect/" + (f"?next={next_url}" if next_url else ""))
    assert start.status_code == 302
    callback = provider.log_in(start["Location"], sub)
    return client.get(callback.removeprefix("http://testserver"))


def test_first_login_creates_the_account_and_suggests_the_structures_of_its_siret(
    client, proconnect
):
    proconnect.add_account("agent-ortega", **AGENT)
    same_establishment = StructureFactory(nom="Maison départementale Nord", siret="22670001400019")
    same_company = StructureFactory(nom="Antenne de Haguenau", siret="22670001400027")
    other = StructureFactory(nom="Association Tremplin", siret="77567227200016")

    response = proconnect_login(client, proconnect, "agent-ortega")

    assert response.status_code == 302 and response["Location"] == "/comptes/"
    user = User.objects.get()
    assert (user.email, user.first_name, user.last_name, user.proconnect_sub) == (
        "camille.ortega@conseil-departemental.fr", "Camille", "Ortega", "agent-ortega",
    )  # fmt: skip
    assert not user.has_usable_password()
    page = client.get("/comptes/").content.decode()
    assert "Rejoignez votre structure" in page
    assert page.index(same_establishment.nom) < page.index(same_company.nom)
    assert other.nom not in page


def test_login_returns_to_the_page_asked(client, proconnect):
    proconnect.add_account("agent-ortega", **AGENT)

    response = proconnect_login(client, proconnect, "agent-ortega", next_url="/prescriptions/")

    assert response["Location"] == "/prescriptions/"
    assert client.get("/prescriptions/").status_code == 200


def test_an_existing_account_with_the_same_address_is_linked_not_duplicated(client, proconnect):
    existing = UserFactory(email="camille.ortega@conseil-departemental.fr", first_name="Cam",
                           courriel_verifie_le=timezone.now())  # fmt: skip
    proconnect.add_account("agent-ortega", **AGENT)

    proconnect_login(client, proconnect, "agent-ortega")
    proconnect.add_account("agent-ortega", **{**AGENT, "email": "c.ortega@alsace.eu"})
    client.logout()
    proconnect_login(client, proconnect, "agent-ortega")

    existing.refresh_from_db()
    assert User.objects.count() == 1
    assert (existing.proconnect_sub, existing.first_name) == ("agent-ortega", "Camille")
    assert client.get("/comptes/").context["user"] == existing


def test_a_token_from_another_issuer_is_refused(client, proconnect, settings):
    # The same provider reached under another name: its tokens name 127.0.0.1 as issuer.
    settings.PROCONNECT_URL = proconnect.url.replace("127.0.0.1", "localhost")
    proconnect.add_account("agent-ortega", **AGENT)

    response = proconnect_login(client, proconnect, "agent-ortega")

    assert response["Location"] == "/comptes/connexion/"
    assert not User.objects.exists()
    page = client.get("/comptes/connexion/").content.decode()
    assert "La connexion avec ProConnect n&#x27;a pas abouti" in page


def test_a_callback_with_a_forged_state_logs_nobody_in(client, proconnect):
    proconnect.add_account("agent-ortega", **AGENT)
    start = client.get("/comptes/proconnect/")
    callback = proconnect.log_in(start["Location"], "agent-ortega")
    code = parse_qs(urlsplit(callback).query)["code"][0]

    response = client.get("/comptes/proconnect/retour/", {"code": code, "state": "forge"})

    assert response["Location"] == "/comptes/connexion/"
    assert not User.objects.exists()


def test_proconnect_unreachable_after_the_login_page_is_a_message_not_an_error(
    client, proconnect, settings
):
    proconnect.add_account("agent-ortega", **AGENT)
    start = client.get("/comptes/proconnect/")
    callback = proconnect.log_in(start["Location"], "agent-ortega")
    settings.OIDC_OP_TOKEN_ENDPOINT = "http://127.0.0.1:9/api/v2/token"  # nothing listens

    response = client.get(callback.removeprefix("http://testserver"))

    assert response["Location"] == "/comptes/connexion/"
    assert not User.objects.exists()


def test_a_deactivated_account_loses_access_at_once_and_cannot_log_in_again(client, proconnect):
    proconnect.add_account("agent-ortega", **AGENT)
    proconnect_login(client, proconnect, "agent-ortega")
    assert client.get("/prescriptions/").status_code == 200

    User.objects.update(is_active=False)

    assert client.get("/prescriptions/")["Location"].startswith("/comptes/connexion/")
    response = proconnect_login(client, proconnect, "agent-ortega")
    assert response["Location"] == "/comptes/connexion/"
    assert client.get("/prescriptions/").status_code == 302


def test_logout_ends_the_proconnect_session_too(client, proconnect):
    proconnect.add_account("agent-ortega", **AGENT)
    proconnect_login(client, proconnect, "agent-ortega")
    id_token = client.session["oidc_id_token"]

    response = client.post("/comptes/deconnexion/")

    end = urlsplit(response["Location"])
    assert f"{end.scheme}://{end.netloc}{end.path}" == f"{proconnect.url}/session/end"
    assert parse_qs(end.query)["id_token_hint"] == [id_token]
    assert parse_qs(end.query)["post_logout_redirect_uri"] == ["http://testserver/"]
    assert requests.get(response["Location"], timeout=10).status_code == 200  # accepted
    assert client.get("/prescriptions/").status_code == 302


def test_password_logout_stays_on_the_portal(client):
    client.force_login(UserFactory())

    assert client.post("/comptes/deconnexion/")["Location"] == "/"


def test_without_configuration_there_is_no_proconnect_button(client, settings):
    settings.PROCONNECT_URL = ""

    assert "ProConnect" not in client.get("/comptes/connexion/").content.decode()
    assert client.get("/comptes/proconnect/").status_code == 404


def test_the_login_page_offers_proconnect_when_configured(client, proconnect):
    page = client.get("/comptes/connexion/?next=/prescriptions/").content.decode()

    assert 'href="/comptes/proconnect/?next=/prescriptions/"' in page
