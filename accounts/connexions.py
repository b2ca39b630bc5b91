"""Login attempts (django-axes: locks, successful and failed logins, with the e-mail typed and
the client address) are personal data: kept `LOGIN_ATTEMPTS_RETENTION_DAYS` days, as the
register of processing says (`/donnees-personnelles/`), then deleted. The purge runs at each
successful login and with `manage.py purge_connexions`.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import timezone

from axes.models import AccessAttempt, AccessFailureLog, AccessLog


def purge(now=None):
    """Deletes the attempts and logs older than the retention; returns how many rows."""
    limit = (now or timezone.now()) - timedelta(days=settings.LOGIN_ATTEMPTS_RETENTION_DAYS)
    return sum(
        model.objects.filter(attempt_time__lt=limit).delete()[0]
        for model in (AccessAttempt, AccessFailureLog, AccessLog)
    )


@receiver(user_logged_in, dispatch_uid="accounts.connexions.purge")
def purge_at_login(sender, **kwargs):
    purge()
