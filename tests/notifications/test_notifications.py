"""Every e-mail is a class of its app's `notifications.py`, sent through `config.mail.send`,
and kept for « Mes notifications »."""

import importlib
from pathlib import Path

from django.conf import settings
from django.core import mail
from django.db import transaction
from django.template.loader import get_template

import pytest

from fiche_relais.notifications import FicheEnvoyee
from notifications.base import REGISTRY
from notifications.models import SentNotification
from tests.browser.conftest import keep_territoires
from tests.factories import UserFactory
from tests.fiche_relais.factories import FicheRelaisFactory

for module in Path(settings.BASE_DIR).glob("*/notifications.py"):  # every app's messages
    importlib.import_module(f"{module.parent.name}.notifications")

MESSAGES = sorted(kind for kind, cls in REGISTRY.items() if cls.template)


@pytest.mark.parametrize("kind", MESSAGES)
def test_every_message_has_a_label_and_a_template(kind):
    notification = REGISTRY[kind]
    assert notification.label
    get_template(notification.template)


def test_no_e_mail_leaves_but_through_a_notification_class():
    """`config.mail.send` is called from `notifications/base.py` only."""
    callers = [
        str(path.relative_to(settings.BASE_DIR))
        for path in Path(settings.BASE_DIR).glob("*/**/*.py")
        if ".venv" not in path.parts and "tests" not in path.parts
        and "mail.send(" in path.read_text(encoding="utf-8")
    ]  # fmt: skip
    assert callers == ["notifications/base.py"]


@pytest.mark.django_db
def test_a_sent_fiche_is_in_the_recipients_notifications_only(client, mails):
    fiche = FicheRelaisFactory(envoyee=True)
    with mails(execute=True):
        FicheEnvoyee(fiche).send()

    client.force_login(fiche.destinataire)
    page = client.get("/comptes/notifications/").content.decode()
    assert "Une fiche relais vous est adressée" in page and str(fiche.personne) not in page
    assert f'href="{fiche.get_absolute_url()}"' in page
    assert "Fiche relais à prendre en charge" in page
    client.force_login(UserFactory())
    assert "Aucune notification" in client.get("/comptes/notifications/").content.decode()
    assert [m.to for m in mail.outbox] == [[fiche.destinataire.email]]


@pytest.mark.django_db(transaction=True, available_apps=keep_territoires())
def test_a_rolled_back_action_sends_nothing_and_keeps_nothing():
    fiche = FicheRelaisFactory(envoyee=True)
    with pytest.raises(RuntimeError), transaction.atomic():
        FicheEnvoyee(fiche).send()
        raise RuntimeError

    assert not SentNotification.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_recipients_are_written_to_once_and_exclusions_apply(mails):
    from fiche_relais.notifications import RelaisPris

    fiche = FicheRelaisFactory(prise_en_charge=True)
    with mails(execute=True):
        sent = RelaisPris(fiche, etape=None).send(exclude={fiche.auteur.email.upper()})

    assert sent == set() and mail.outbox == []


@pytest.mark.django_db
def test_the_person_leaves_no_row_and_rows_are_forgotten_after_the_retention(mails, settings):
    from datetime import timedelta

    from django.utils import timezone

    from prescription import services
    from prescription.notifications import Confirmation
    from tests.factories import PrescriptionFactory

    prescription = PrescriptionFactory(acceptee=True)  # no reminder nor expiry at the tick
    with mails(execute=True):
        Confirmation(prescription).send()
        FicheEnvoyee(FicheRelaisFactory(envoyee=True)).send()
    assert [m.to for m in mail.outbox][0] == [prescription.courriel]
    assert SentNotification.objects.get().kind == "fiche_relais.FicheEnvoyee"

    later = timezone.now() + timedelta(days=30 * settings.PRESCRIPTION_RETENTION_MONTHS + 1)
    assert services.tick(later)["notifications_oubliees"] == 1
    assert not SentNotification.objects.exists()
