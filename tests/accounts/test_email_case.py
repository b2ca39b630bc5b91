"""E-mail addresses compared whatever their case: login, invitation, account creation, and a
database constraint on the lower-cased address."""

import importlib

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

import pytest
from axes.models import AccessAttempt

from accounts.models import User
from catalogue import membres
from catalogue.models import Invitation, Membre
from tests.factories import PASSWORD, MembreFactory, UserFactory

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("accounts.migrations.0005_email_unique_whatever_its_case")


def test_login_with_the_address_in_upper_case(client):
    user = UserFactory(email="professionnel@demo.spie.fr")

    response = client.post(
        "/comptes/connexion/", {"username": "PROFESSIONNEL@demo.spie.fr", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert client.get("/comptes/").context["user"] == user
    assert AccessAttempt.objects.count() == 0  # no failure counted towards the lockout


def test_two_accounts_cannot_differ_only_by_case():
    UserFactory(email="camille@example.org")

    with pytest.raises(ValidationError, match="Adresse e-mail existe déjà"):
        User(email="Camille@Example.org", first_name="C", last_name="D", password="x").full_clean()
    with transaction.atomic(), pytest.raises(IntegrityError):
        User.objects.create(email="CAMILLE@example.org")


def test_an_account_created_or_edited_stores_the_address_in_lower_case():
    created = User.objects.create_user("Ines.Benali@Example.org", PASSWORD)
    edited = User(email="Nadia@Example.org", first_name="N", last_name="H", password="x")
    edited.full_clean()

    assert (created.email, edited.email) == ("ines.benali@example.org", "nadia@example.org")


def test_inviting_a_member_with_another_case_says_they_are_already_a_member():
    membre = MembreFactory(user=UserFactory(email="nadia@example.org"))

    with pytest.raises(ValidationError, match="déjà membre"):
        membres.invite(membre.structure, "Nadia@Example.ORG", Membre.Role.MEMBRE, None)


class OnInvitations:
    """The migration's function run on a model without the constraint (`Invitation` has an
    `email` too), so that duplicates can exist."""

    @staticmethod
    def get_model(app_label, name):
        return Invitation


def test_the_migration_reports_addresses_that_differ_only_by_case():
    structure = MembreFactory().structure
    first = Invitation.objects.create(structure=structure, email="Camille@example.org")
    second = Invitation.objects.create(structure=structure, email="camille@EXAMPLE.org")
    Invitation.objects.create(structure=structure, email="seule@example.org")

    with pytest.raises(RuntimeError) as raised:
        MIGRATION.lower_case_addresses(OnInvitations, None)

    assert str(raised.value).endswith(
        f"(1), à fusionner avant de migrer : camille@example.org : comptes {[first.pk, second.pk]}"
    )


def test_the_migration_lowers_addresses_when_there_is_no_duplicate():
    structure = MembreFactory().structure
    Invitation.objects.create(structure=structure, email="Camille@Example.org")

    MIGRATION.lower_case_addresses(OnInvitations, None)

    assert list(Invitation.objects.values_list("email", flat=True)) == ["camille@example.org"]
