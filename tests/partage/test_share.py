"""« Partager » a service by e-mail: what the message says, the public contact, the
recipient's address used once and never stored, and the rate limits."""

import io
import logging
from urllib.parse import quote

from django.contrib.sessions.models import Session
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command

import pytest
from django_tasks_db.models import DBTaskResult

from notifications.models import SentNotification
from tests.factories import UserFactory
from tests.partage.conftest import PRIVATE_EMAIL, PRIVATE_PHONE, STRUCTURE_PHONE
from tests.utils.pdf import pdf_text

pytestmark = pytest.mark.django_db

PERSON = "lea.martin.secret@example.net"


def _share(client, service, address=PERSON, **extra):
    return client.post(f"/services/{service.pk}/partager/", {"courriel": address}, **extra)


def test_the_person_receives_the_service_with_its_public_contact(client, private_service):
    response = _share(client, private_service)

    assert response.status_code == 302
    assert response["Location"] == f"/services/{private_service.pk}/"
    [message] = mail.outbox
    assert message.to == [PERSON]
    assert message.subject == "Un service d'insertion vous est transmis : Aide au permis solidaire"
    body = message.body
    assert "1. Aide au permis solidaire — Association Tremplin Sud" in body
    assert "Une aide pour financer une partie du permis B" in body  # what it is
    assert "Conditions d'accès, à apporter : Avoir un projet professionnel." in body
    assert "Adresse : 12 rue de la République, 13001 Marseille" in body
    assert "Horaires : du lundi au vendredi de 9 h 00 à 12 h 00" in body
    assert f"Contact de la structure : Téléphone : {STRUCTURE_PHONE}" in body
    assert f"Le service en ligne : http://testserver/services/{private_service.pk}/" in body
    assert PRIVATE_PHONE not in body and PRIVATE_EMAIL not in body
    assert "Nadia Haddad" not in body
    [(name, content, mimetype)] = message.attachments
    assert (name, mimetype) == ("services.pdf", "application/pdf")
    assert "Aide au permis solidaire" in pdf_text(content)
    assert PRIVATE_PHONE not in pdf_text(content)


def test_a_professional_s_share_carries_the_public_contact_too(client, private_service):
    """The recipient is anyone: a professional's e-mail never carries the private contact."""
    client.force_login(UserFactory(first_name="Camille", last_name="Roux"))
    _share(client, private_service)

    [message] = mail.outbox
    assert (
        "Camille Roux, professionnel ou professionnelle de l'insertion, vous transmet un service "
        "du portail de l'offre d'insertion, avec son adresse, ses horaires et son contact."
    ) in message.body
    assert STRUCTURE_PHONE in message.body and PRIVATE_PHONE not in message.body


def _stored_text():
    """Every table but the reference geography, as JSON, and every session decoded."""
    out = io.StringIO()
    call_command("dumpdata", exclude=["territoires", "contenttypes", "auth.permission"], stdout=out)
    sessions = [str(session.get_decoded()) for session in Session.objects.all()]
    return out.getvalue() + " ".join(sessions)


def test_the_recipient_s_address_is_never_stored(
    client, private_service, settings, smtp_server, database_tasks, caplog
):
    """Sent at once to the real SMTP server (the worker's tasks, kept in the database, are not
    used), even to a colleague with an account (no « Mes notifications » row), and found in no
    table, session, cache key, log line, subject nor confirmation."""
    settings.MAILERS = {"default": smtp_server.mailer()}
    colleague = UserFactory(email="collegue.secret@example.org")
    caplog.set_level(logging.DEBUG)
    client.force_login(UserFactory())
    before = _stored_text()  # the colleague's address is her account's

    confirmations = []
    for address in (PERSON, colleague.email):
        response = _share(client, private_service, address, follow=True)
        confirmations.append(response.content.decode())

    assert [message["To"] for message in smtp_server.received] == [PERSON, colleague.email]
    assert not DBTaskResult.objects.exists()
    assert not SentNotification.objects.exists()
    # The portal's records; the test SMTP server (aiosmtpd, « mail.log ») logs what it receives.
    logged = " ".join(r.getMessage() for r in caplog.records if r.name != "mail.log")
    stored = _stored_text()
    assert private_service.nom in stored  # the dump does hold the data
    assert PERSON not in stored and colleague.email in before
    for address in (PERSON, colleague.email):
        assert stored.count(address) == before.count(address)
        assert address not in logged
        assert not any(address in str(key) for key in cache._cache)
        assert all(address not in message["Subject"] for message in smtp_server.received)
        assert all(address not in page for page in confirmations)
    assert "Message envoyé. Son adresse n&#x27;a pas été conservée." in confirmations[0]


def test_a_failing_mail_server_is_said_and_nothing_is_kept(
    client, private_service, settings, smtp_server
):
    settings.MAILERS = {"default": smtp_server.mailer()}
    smtp_server.refuse_next(1)

    response = _share(client, private_service)

    assert response.status_code == 503
    assert "Le message n&#x27;a pas pu partir" in response.content.decode()
    assert smtp_server.received == []
    assert _share(client, private_service).status_code == 302
    assert len(smtp_server.received) == 1


def test_visitors_not_logged_in_are_limited_per_client_address(client, private_service, settings):
    settings.SHARE_RATE_LIMIT_ANONYMOUS = 2

    statuses = [_share(client, private_service).status_code for _ in range(3)]

    assert statuses == [302, 302, 429]
    assert len(mail.outbox) == 2
    refused = _share(client, private_service)
    assert "Trop d&#x27;envois en une heure : réessayez dans" in refused.content.decode()
    assert _share(client, private_service, REMOTE_ADDR="10.0.0.9").status_code == 302


def test_the_client_address_is_the_one_behind_the_trusted_proxy(client, private_service, settings):
    settings.SHARE_RATE_LIMIT_ANONYMOUS = 1
    settings.TRUSTED_PROXY_COUNT = 1
    first, second = ({"HTTP_X_FORWARDED_FOR": f"203.0.113.{n}"} for n in (1, 2))

    assert _share(client, private_service, **first).status_code == 302
    assert _share(client, private_service, **first).status_code == 429
    assert _share(client, private_service, **second).status_code == 302


def test_professionals_are_limited_per_account(client, private_service, settings):
    settings.SHARE_RATE_LIMIT_PROFESSIONAL = 2
    settings.SHARE_RATE_LIMIT_ANONYMOUS = 0  # visitors may not send: the account counts
    client.force_login(UserFactory())

    statuses = [_share(client, private_service).status_code for _ in range(3)]

    assert statuses == [302, 302, 429]
    client.force_login(UserFactory())
    assert _share(client, private_service).status_code == 302


def test_an_invalid_address_sends_nothing(client, private_service):
    response = _share(client, private_service, "pas-une-adresse")

    assert response.status_code == 200
    assert mail.outbox == []


@pytest.mark.parametrize("statut", ["brouillon", "archive", "suspendu"])
def test_only_a_published_service_is_shared(client, private_service, statut):
    private_service.statut = statut
    private_service.save()

    assert _share(client, private_service).status_code == 404
    assert mail.outbox == []
    if statut == "suspendu":  # its page is shown, with a warning, but offers no « Partager »
        page = client.get(f"/services/{private_service.pk}/").content.decode()
        assert "/partager/" not in page


def test_the_share_page_and_the_buttons(client, private_service):
    page = client.get(f"/services/{private_service.pk}/partager/").content.decode()
    assert "Adresse e-mail du destinataire" in page
    service_page = client.get(f"/services/{private_service.pk}/").content.decode()
    assert f'href="/services/{private_service.pk}/partager/"' in service_page
    assert "Ajouter à ma sélection" in service_page


@pytest.mark.parametrize(
    ("next_url", "back"),
    [
        (
            "/recherche/?lieu=Aubagne&thematiques=mobilite",
            "/recherche/?lieu=Aubagne&thematiques=mobilite",
        ),
        ("https://ailleurs.example/", None),  # another site: the service page
        ("javascript:alert(1)", None),
    ],
)
def test_shared_from_the_results_the_visitor_goes_back_to_them(
    client, private_service, next_url, back
):
    url = f"/services/{private_service.pk}/partager/?next={quote(next_url)}"
    page = client.get(url).content.decode()
    assert ("Retour aux résultats" in page) is (back is not None)
    assert "javascript:" not in page and "ailleurs.example" not in page

    response = client.post(url, {"courriel": PERSON})

    assert response["Location"] == (back or f"/services/{private_service.pk}/")
