"""At start (`manage.py check`, runserver, `search_sync`, every command that runs the checks;
the web server's log through `config.wsgi`): a warning when Elasticsearch is configured but cannot serve searches (unreachable, not an
Elasticsearch 8, red, no index). A warning, not an error: the database answers meanwhile."""

import logging

from django.conf import settings
from django.core.checks import Warning, register

SEARCH = "search"
logger = logging.getLogger(__name__)


@register(SEARCH)
def elasticsearch_serves(app_configs, **kwargs):
    from search.backends import elasticsearch

    if settings.SEARCH_BACKEND != elasticsearch.NAME:
        return []
    status = elasticsearch.health()
    if status == elasticsearch.HEALTHY:
        return []
    hint = "La recherche passe par la base de données tant que ce n'est pas réglé."
    return [Warning(status, hint=hint, id="search.W001")]


def log_at_start():
    """The same warning in the log, for servers that run no checks (gunicorn)."""
    for warning in elasticsearch_serves(None):
        logger.warning("%s (%s) %s", warning.msg, warning.id, warning.hint)
