"""Login attempts are deleted after the retention stated in the register of processing."""

from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

import pytest
from axes.models import AccessAttempt, AccessLog

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _attempt(model, days_ago, **fields):
    row = model.objects.create(username="x@example.org", ip_address="192.0.2.1",
                               user_agent="t", **fields)  # fmt: skip
    model.objects.filter(pk=row.pk).update(attempt_time=timezone.now() - timedelta(days=days_ago))


def test_old_attempts_are_purged_at_the_next_login_and_the_register_says_when(client, settings):
    settings.LOGIN_ATTEMPTS_RETENTION_DAYS = 10
    _attempt(AccessLog, 11)
    _attempt(AccessLog, 9)
    _attempt(AccessAttempt, 11, failures_since_start=1, get_data="", post_data="")
    user = UserFactory()

    client.post("/comptes/connexion/", {"username": user.email, "password": PASSWORD})

    assert (
        AccessLog.objects.filter(attempt_time__lt=timezone.now() - timedelta(days=10)).count() == 0
    )
    assert AccessLog.objects.count() == 2  # the recent one and this login
    assert not AccessAttempt.objects.exists()
    assert "supprimées après 10 jours" in client.get("/donnees-personnelles/").content.decode()


def test_the_purge_command(settings):
    settings.LOGIN_ATTEMPTS_RETENTION_DAYS = 30
    _attempt(AccessLog, 31)
    _attempt(AccessLog, 29)

    call_command("purge_connexions")

    assert AccessLog.objects.count() == 1
