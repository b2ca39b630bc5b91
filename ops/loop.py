"""The loop of the long-running processes (`manage.py worker`, `search_sync --loop`): a step
again and again, that outlives a database or Elasticsearch restart (the failure is logged, the
connection dropped, the step tried again after the interval)."""

import logging
import time

from django.db import DatabaseError, close_old_connections, connections
from django.utils import timezone

from ops.models import Heartbeat

logger = logging.getLogger(__name__)


def forever(step, interval, running=lambda: True, failures=()):
    """Calls `step()` every `interval` seconds while `running()`; a DatabaseError or one of
    `failures` (exception classes) is logged and the step tried again next time."""
    while running():
        close_old_connections()
        try:
            step()
        except (DatabaseError, *failures) as error:
            logger.warning("Étape interrompue (%s : %s), nouvel essai dans %s s.",
                           type(error).__name__, error, interval)  # fmt: skip
            _drop_connections()
        if running():
            time.sleep(interval)


def _drop_connections():
    """A connection broken by a server restart is closed (Django marked it as having failed):
    the next query opens a new one."""
    for connection in connections.all(initialized_only=True):
        connection.close_if_unusable_or_obsolete()


def beat(process):
    """Records that `process` is alive now."""
    Heartbeat.objects.update_or_create(process=process, defaults={"beat_at": timezone.now()})
