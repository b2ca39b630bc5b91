"""Account pre-takeover: an address becomes an account's only from its own inbox, and ProConnect
attaches a first login to an existing account only when that account's address was verified."""

import re

from django.core import mail
from django.utils import timezone

import pytest

from accounts.models import User
from catalogue.models import Membre
from tests.accounts.test_proconnect import AGENT, proconnect_login
from tests.factories import PASSWORD, MembreFactory, UserFactory

pytestmark = pytest.mark.django_db

VICTIM = AGENT["email"].lower()


def _link(message):
    return re.search(r"http://testserver(/comptes/adresse/confirmer/\S+/)", message.body).group(1)


def _password_login(client):
    response = client.post("/comptes/connexion/", {"username": VICTIM, "password": PASSWORD})
    return response.status_code == 302


def test_the_admin_account_page_does_not_change_the_address(client):
    attacker = MembreFactory(role=Membre.Role.ADMIN).user
    client.force_login(attacker)

    client.post("/admin/account/", {
        "name_email-first_name": "Camille", "name_email-last_name": "Ortega",
        "name_email-email": VICTIM, "locale-preferred_language": "fr",
        "locale-current_time_zone": "", "theme-theme": "system", "theme-density": "default",
        "theme-contrast": "system", "theme-keyboard_shortcuts": "on",
    })  # fmt: skip

    attacker.refresh_from_db()
    assert attacker.email != VICTIM
    assert 'name="name_email-email"' not in client.get("/admin/account/").content.decode()


def test_a_new_address_takes_effect_only_once_confirmed_from_it(client, mails):
    user = UserFactory(email="ancienne@example.org")
    client.force_login(user)

    with mails(execute=True):
        response = client.post("/comptes/adresse/", {"email": "Nouvelle@Example.org"})

    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.email, user.courriel_verifie_le) == ("ancienne@example.org", None)
    confirmation, notice = mail.outbox
    assert confirmation.to == ["nouvelle@example.org"] and notice.to == ["ancienne@example.org"]
    link = _link(confirmation)
    assert client.get(link).status_code == 200  # opening the link (a scanner may) changes nothing
    user.refresh_from_db()
    assert user.email == "ancienne@example.org"

    client.post(link)

    user.refresh_from_db()
    assert user.email == "nouvelle@example.org" and user.courriel_verifie_le is not None
    assert client.post(link).status_code == 400  # used once


def test_an_address_of_another_account_is_refused(client, mails):
    UserFactory(email="prise@example.org")
    client.force_login(UserFactory())

    with mails(execute=True):
        response = client.post("/comptes/adresse/", {"email": "PRISE@example.org"})

    assert "déjà celle d&#x27;un autre compte" in response.content.decode()
    assert not mail.outbox


def test_the_pre_takeover_attack_fails(client, proconnect, mails):
    """The attacker, structure member with a password, gives his account the address of a
    professional who has not logged in yet; she then logs in with ProConnect."""
    attacker = MembreFactory().user
    client.force_login(attacker)
    with mails(execute=True):
        client.post("/comptes/adresse/", {"email": VICTIM})  # he cannot open her inbox
    # An account given her address before the fix (unverified), as Wagtail's page allowed.
    User.objects.filter(pk=attacker.pk).update(email=VICTIM)
    client.logout()
    proconnect.add_account("agent-ortega", **AGENT)

    with mails(execute=True):
        response = proconnect_login(client, proconnect, "agent-ortega")

    attacker.refresh_from_db()
    assert attacker.proconnect_sub is None
    assert response["Location"] == "/comptes/connexion/"
    assert "_auth_user_id" not in client.session
    assert (
        "sans qu&#x27;elle ait été vérifiée" in client.get("/comptes/connexion/").content.decode()
    )
    assert _password_login(client)  # still his password, not her login
    client.logout()
    # She confirms from her inbox: the account's password stops working, ProConnect opens it.
    link = _link(mail.outbox[-1])
    assert mail.outbox[-1].to == [VICTIM]
    client.post(link)
    assert not _password_login(client)
    proconnect_login(client, proconnect, "agent-ortega")
    attacker.refresh_from_db()
    assert attacker.proconnect_sub == "agent-ortega"


def test_a_verified_account_is_linked_at_the_first_proconnect_login(client, proconnect):
    existing = UserFactory(email=VICTIM, courriel_verifie_le=timezone.now())
    proconnect.add_account("agent-ortega", **AGENT)

    proconnect_login(client, proconnect, "agent-ortega")

    existing.refresh_from_db()
    assert existing.proconnect_sub == "agent-ortega"
    assert client.session["_auth_user_id"] == str(existing.pk)


def test_an_invitation_opened_by_a_logged_in_person_is_accepted_by_a_post_only(client, mails):
    from catalogue import membres

    admin = MembreFactory(role=Membre.Role.ADMIN)
    invited = UserFactory(email="invitee@example.org")
    with mails(execute=True):
        invitation = membres.invite(admin.structure, invited.email, "membre", admin.user)
    link = f"/invitation/{membres.invitation_token(invitation)}/"
    client.force_login(invited)

    assert client.get(link).status_code == 200
    assert not Membre.objects.filter(user=invited).exists()
    client.post(link)
    assert Membre.objects.filter(user=invited, structure=admin.structure).exists()
    invited.refresh_from_db()
    assert invited.courriel_verifie_le is not None


def test_an_address_changed_another_way_is_no_longer_verified():
    user = UserFactory(email="verifiee@example.org", courriel_verifie_le=timezone.now())
    user = User.objects.get(pk=user.pk)

    user.email = "changee-par-le-gestionnaire@example.org"
    user.save(update_fields=["email"])

    user.refresh_from_db()
    assert user.courriel_verifie_le is None
    user.first_name = "Autre"
    user.courriel_verifie_le = timezone.now()
    user.save()
    user.refresh_from_db()
    assert user.courriel_verifie_le is not None  # unchanged address: kept
