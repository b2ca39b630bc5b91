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


def _on_a_backend(function, *arguments):
    if elasticsearch_enabled():
        try:
            return getattr(elasticsearch, function)(*arguments)
        except ELASTICSEARCH_FAILURES as error:
            logger.warning(
                "Elasticsearch ne répond pas (%s) : recherche en base de données.", error
            )
    return getattr(database, function)(*arguments)


def search(query, also_count=()):
    """The query's `Results`. `also_count`: queries whose `counts` may be asked next (the
    zero-result help's); a backend that can count them in the same wait gives them in
    `Results.counted` (Elasticsearch, for a search with words), else leaves it empty."""
    return _on_a_backend("search", query, also_count)


def counts(queries, known=()):
    """How many services each query finds within its distance (all of them without a place):
    `Results.in_range` (or `total`) without reading any page or facet. [int], in order.
    `known`: the counts already given (`Results.counted`: [int | None] or []), the others
    asked."""
    known = list(known) or [None] * len(queries)
    missing = [query for query, count in zip(queries, known, strict=True) if count is None]
    asked = iter(_on_a_backend("counts", missing) if missing else [])
    return [next(asked) if count is None else count for count in known]
