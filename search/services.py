"""The one entry point of search: `search(query) -> Results`, on the configured backend.

When Elasticsearch cannot answer, the database backend answers instead (it is always current)
and a warning is logged: professionals keep searching during an outage.
"""

import logging

from django.conf import settings

from elasticsearch import ApiError, TransportError

from search.backends import database, elasticsearch

logger = logging.getLogger(__name__)

ELASTICSEARCH_FAILURES = (ApiError, TransportError)


def elasticsearch_enabled():
    return settings.SEARCH_BACKEND == elasticsearch.NAME


def _on_a_backend(function, argument):
    if elasticsearch_enabled():
        try:
            return getattr(elasticsearch, function)(argument)
        except ELASTICSEARCH_FAILURES as error:
            logger.warning(
                "Elasticsearch ne répond pas (%s) : recherche en base de données.", error
            )
    return getattr(database, function)(argument)


def search(query):
    return _on_a_backend("search", query)


def counts(queries):
    """How many services each query finds within its distance (all of them without a place):
    `Results.in_range` (or `total`) without reading any page or facet. [int], in order."""
    return _on_a_backend("counts", queries)
