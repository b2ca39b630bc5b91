"""Password reset: limited per address and per client, the same answer either way, and a
password set from the link proves the account's address."""

import re

from django.core import mail

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/admin/password_reset/"


def test_reset_e_mails_are_limited_per_address_with_the_same_answer(client, mails):
    user = UserFactory()
    answers = []
    with mails(execute=True):
        for _ in range(6):
            answers.append(client.post(URL, {"email": user.email})["Location"])

    assert len(mail.outbox) == 3
    assert set(answers) == {"/admin/password_reset/done/"}


def test_reset_e_mails_are_limited_per_client(client, mails):
    users = [UserFactory() for _ in range(12)]
    with mails(execute=True):
        for user in users:
            client.post(URL, {"email": user.email})

    assert len(mail.outbox) == 10


def test_the_answer_is_the_same_whether_the_address_has_an_account(client):
    known = client.post(URL, {"email": UserFactory().email})
    unknown = client.post(URL, {"email": "personne@example.org"})

    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])


def test_a_password_set_from_the_link_verifies_the_address(client, mails):
    user = UserFactory()
    with mails(execute=True):
        client.post(URL, {"email": user.email})
    link = re.search(r"http://testserver(/admin/password_reset/confirm/\S+/)", mail.outbox[0].body)[
        1
    ]
    form_url = client.get(link)["Location"]
    new = "un-nouveau-mot-de-passe-solide"

    client.post(form_url, {"new_password1": new, "new_password2": new})

    user.refresh_from_db()
    assert user.courriel_verifie_le is not None and user.check_password(new)
