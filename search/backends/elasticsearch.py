"""The Elasticsearch backend: one index behind an alias, the same contract as the database.

The server runs no analysis of its own: tokens come from `search.text`, facets are keywords,
the place is a geo_point. A search is one request (the services in range, sorted by distance,
with the facets of the whole result set), plus one when the page reaches the services met
remotely beyond the distance. Ties (and remote services) go by péremption, latest first, then
id (`catalogue.fraicheur`). Facet selections are a post_filter, so that each facet's aggregation
can leave out its own group's selection (disjunctive counts, search/facets.py).
"""

import functools
import time

from django.conf import settings
from django.utils import timezone

from elasticsearch import ApiError, Elasticsearch, TransportError, helpers
from elasticsearch.dsl import (
    A,
    Boolean,
    Date,
    Document,
    GeoPoint,
    Index,
    Keyword,
    Object,
    Q,
    Search,
)  # fmt: skip

from search import ranking
from search.facets import FACETS, GROUPS
from search.query import MAX_PAGE, MAX_SIZE, Item, Results
from territoires.services import great_circle_km

NAME = "elasticsearch"
FACET_BUCKETS = 500
# Every page the search accepts is reachable (200,000 results: the whole national offer).
MAX_RESULT_WINDOW = MAX_PAGE * MAX_SIZE
# Conflicts (an older version arriving late) and deleting what is not there are not failures.
HARMLESS_STATUSES = {404, 409}
# At equal distance (and among remote services): the later péremption first, then the id.
TIE_ORDER = ({"perime_le": {"order": "desc"}}, "identifiant")


# One keyword field per facet of the registry.
_FacetFields = type("_FacetFields", (Document,), {facet.name: Keyword() for facet in FACETS})


class ServiceDocument(_FacetFields):
    identifiant = Keyword()
    location = GeoPoint()
    sur_place = Boolean()
    a_distance = Boolean()
    tokens = Keyword()
    zones = Keyword()
    contact_public = Boolean(index=False)
    date_maj = Date()
    perime_le = Date()
    payload = Object(enabled=False)


class SyncError(Exception):
    """Elasticsearch refused some documents."""


@functools.cache
def client():
    """The client of the node or cluster of the settings (`ELASTICSEARCH_*`). On one node, a
    request is tried twice unless it timed out (the database answers sooner); on a cluster,
    a failed request (connection lost, 502/503/504, timeout) goes to each other node once."""
    hosts = [url.strip() for url in settings.ELASTICSEARCH_URL.split(",") if url.strip()]
    credentials = {}
    if settings.ELASTICSEARCH_API_KEY:
        credentials["api_key"] = settings.ELASTICSEARCH_API_KEY
    elif settings.ELASTICSEARCH_USERNAME:
        credentials["basic_auth"] = (
            settings.ELASTICSEARCH_USERNAME,
            settings.ELASTICSEARCH_PASSWORD,
        )
    if settings.ELASTICSEARCH_CA_CERTS:
        credentials["ca_certs"] = settings.ELASTICSEARCH_CA_CERTS
    return Elasticsearch(
        hosts,
        request_timeout=settings.ELASTICSEARCH_TIMEOUT,
        max_retries=max(1, len(hosts) - 1),
        retry_on_timeout=len(hosts) > 1,
        **credentials,
    )


HEALTHY = "ok"
SUPPORTED_MAJOR = 8


def health():
    """`HEALTHY`, or why search runs on the database instead: the server is unreachable, is not
    an Elasticsearch 8 (every node's version), the cluster is red, or the index is missing.
    A short French sentence (str) without personal data; at most 2 s per request."""
    quick = client().options(request_timeout=2, max_retries=0)
    try:
        nodes = quick.nodes.info(filter_path="nodes.*.version")["nodes"]
        versions = sorted({node["version"] for node in nodes.values()})
        if any(int(version.split(".")[0]) != SUPPORTED_MAJOR for version in versions):
            return f"Elasticsearch {', '.join(versions)} incompatible ({SUPPORTED_MAJOR}.x attendu)"
        status = quick.cluster.health()["status"]
        if status == "red":
            return "Elasticsearch : grappe rouge (des données ne sont pas disponibles)"
        if not quick.indices.exists_alias(name=alias()):
            return f"Elasticsearch : index {alias()} absent (manage.py search_reindex)"
    except (ApiError, TransportError) as error:
        return f"Elasticsearch injoignable ou incompatible : {error.__class__.__name__}"
    return HEALTHY


def alias():
    return settings.SEARCH_INDEX_ALIAS


def source(document):
    fields = {
        name: document[name] for name in ServiceDocument._doc_type.mapping if name != "location"
    }
    if document["latitude"] is not None:
        fields["location"] = {"lat": document["latitude"], "lon": document["longitude"]}
    return fields


# Index management ----------------------------------------------------------------------------


def create_index():
    """A new, empty concrete index (not yet behind the alias); returns its name."""
    name = f"{alias()}-{time.time_ns()}"
    index = Index(name, using=client())
    index.settings(
        number_of_shards=settings.ELASTICSEARCH_SHARDS,
        number_of_replicas=settings.ELASTICSEARCH_REPLICAS,
        max_result_window=MAX_RESULT_WINDOW,
    )
    index.document(ServiceDocument)
    index.create()
    return name


def indices_behind_alias():
    if not client().indices.exists_alias(name=alias()):
        return []
    return list(client().indices.get_alias(name=alias()))


def point_alias_to(name):
    """Moves the alias to `name` in one atomic step and drops the indices it left."""
    previous = indices_behind_alias()
    actions = [{"remove": {"index": old, "alias": alias()}} for old in previous]
    actions.append({"add": {"index": name, "alias": alias()}})
    client().indices.update_aliases(actions=actions)
    for old in previous:
        client().indices.delete(index=old)


def ensure_index():
    if not indices_behind_alias():
        point_alias_to(create_index())


def refresh():
    client().indices.refresh(index=alias())


def drop_all():
    """Deletes the alias and every index it ever pointed to (tests, `search_reindex --drop`)."""
    names = list(client().indices.get(index=f"{alias()}-*", allow_no_indices=True))
    if names:
        client().indices.delete(index=",".join(names))


# Writes --------------------------------------------------------------------------------------


def write(documents_by_id, versions, index=None):
    """Indexes the documents given and deletes the other ids of `versions` ({id: version});
    a version lower than the one already in the index is ignored."""
    target = index or alias()
    actions = []
    for service_id, version in versions.items():
        action = {"_index": target, "_id": service_id, "version": version}
        action["version_type"] = "external_gte"
        if document := documents_by_id.get(service_id):
            action["_source"] = source(document)
        else:
            action["_op_type"] = "delete"
        actions.append(action)
    _, errors = helpers.bulk(client(), actions, raise_on_error=False, stats_only=False)
    failures = [e for e in errors if next(iter(e.values()))["status"] not in HARMLESS_STATUSES]
    if failures:
        raise SyncError(f"{len(failures)} documents refusés, par exemple : {failures[0]}")


# Search --------------------------------------------------------------------------------------


def _found(alternatives, prefix=""):
    """« One of these alternatives is in the field »: the one-token ones in one `terms` query
    (a query of hundreds of clauses costs Elasticsearch more than the search itself)."""
    single = sorted(f"{prefix}{a.tokens[0]}" for a in alternatives if len(a.tokens) == 1)
    options = [Q("terms", tokens=single)] if single else []
    options += [
        Q("bool", filter=[Q("term", tokens=f"{prefix}{token}") for token in a.tokens])
        for a in alternatives
        if len(a.tokens) > 1
    ]
    return options


def _contains(concept):
    """« The service contains this concept » (`search.ranking.Concept`)."""
    options = _found(concept.alternatives)
    if concept.thematiques:
        options.append(Q("terms", thematiques=sorted(concept.thematiques)))
    return Q("bool", should=options, minimum_should_match=1)


def _matches_words(concepts):
    groups = ranking.matching_groups(concepts)
    return Q(
        "bool",
        should=[Q("bool", filter=[_contains(c) for c in group]) for group in groups],
        minimum_should_match=1,
    )


def _relevance(concepts):
    """One clause per concept scoring its best alternative, as search.ranking.relevance: the
    alternatives of one strength share a clause per field."""
    clauses = []
    for concept in concepts:
        options = []
        for strength in sorted({a.strength for a in concept.alternatives}):
            alike = [a for a in concept.alternatives if a.strength == strength]
            for prefix, weight in ranking.FIELDS:
                boost = ranking.clause_score(concept, alike[0], weight)
                found = Q("bool", should=_found(alike, prefix), minimum_should_match=1)
                options.append(Q("constant_score", filter=found, boost=boost))
        if concept.thematiques:
            options.append(
                Q(
                    "constant_score",
                    filter=Q("terms", thematiques=sorted(concept.thematiques)),
                    boost=ranking.thematique_score(concept),
                )
            )
        clauses.append(Q("dis_max", queries=options, tie_breaker=0))
    return clauses


def _filters(query):
    filters = [_matches_words(query.concepts)] if query.concepts else []
    if query.public:
        filters.append(Q("range", date_maj={"gte": ranking.hidden_since().isoformat()}))
    if query.place:
        codes = sorted(query.place.zone_codes)
        filters.append(Q("terms", zones=codes) | ~Q("exists", field="zones"))
    return filters


def facet_filter(query, except_group=None):
    """The facet selections of the query (all, or all but one group's), as one filter."""
    selected = []
    for name, selection in query.filters.items():
        if name != except_group:
            group = GROUPS[name]
            passes = Q("terms", **{name: group.accepted(selection)})
            selected.append(passes | ~Q("exists", field=name) if group.keeps_empty else passes)
    return Q("bool", filter=selected)


def _point(query):
    return {"lat": query.place.latitude, "lon": query.place.longitude}


def _within(query, km):
    return Q("geo_distance", distance=f"{km}km", location=_point(query))


def _in_range(query):
    return _within(query, query.distance_km)


def _freshness_functions(query):
    today = timezone.localdate()
    hidden = {"filter": Q("range", date_maj={"lt": ranking.hidden_since(today).isoformat()})}
    functions = [{**hidden, "weight": ranking.HIDDEN}]
    if query.by_relevance:
        late = Q("range", perime_le={"lt": today.isoformat()})
        functions.append({"filter": late, "weight": ranking.LATE})
    return [*functions, {"weight": ranking.ON_TIME}]


def _proximity_functions(query):
    """Within the distance only: beyond it (remote services) the factor is the same for all."""
    return [
        {"filter": _within(query, limit), "weight": factor}
        for limit, factor in ranking.PROXIMITY_BANDS_KM
        if limit < query.distance_km
    ] + [{"weight": ranking.proximity(query.distance_km)}]


def _function_score(scored, functions, **options):
    options = {"score_mode": "first", "boost_mode": "multiply", **options}
    return Q("function_score", query=scored, functions=functions, **options)


def _scored(query, filters, cutoff=None, near=False):
    """The query scored as search.ranking says: relevance (at least `cutoff`) × proximity ×
    freshness, or 1 × freshness when sorting by distance."""
    if query.concepts:
        scored = Q("bool", filter=filters, should=_relevance(query.concepts))
        if cutoff:
            scored = _function_score(scored, [{"weight": 1}], min_score=cutoff)
        if not query.by_relevance:
            scored = _function_score(scored, [{"weight": 1}], boost_mode="replace")
    else:
        scored = Q("bool", filter=filters, must=[Q("match_all")])
    if query.by_relevance and near:
        scored = _function_score(scored, _proximity_functions(query))
    if query.public and not query.by_relevance:
        return scored  # hidden services are left out: by distance, freshness changes nothing
    return _function_score(scored, _freshness_functions(query))


def _search(query, filters, cutoff=None, near=False):
    scored = _scored(query, filters, cutoff, near)
    search = Search(using=client(), index=alias()).query(scored)
    return search.source(["payload", "contact_public"]).extra(track_total_hits=True)


def _relevance_cutoff(query, filters):
    """search.ranking.relevance_cutoff of the best relevance among the services the place and
    the words give (the facet selections left aside), or None without words."""
    if not query.concepts:
        return None
    if query.place:
        filters = [*filters, _in_range(query) | Q("term", a_distance=True)]
    scored = Q("bool", filter=filters, should=_relevance(query.concepts))
    best = Search(using=client(), index=alias()).query(scored).source(False)[:1].execute()
    return ranking.relevance_cutoff(best.hits[0].meta.score) if best.hits else None


def _with_facets(search, query):
    """The total (`matched`) and, per facet, the counts under the other groups' selections:
    a facet whose group has no selection is counted in `matched`, the others each in a
    bucket of their own."""
    matched = search.aggs.bucket("matched", "filter", facet_filter(query))
    for facet in FACETS:
        bucket = matched
        if facet.group in query.filters:
            bucket = search.aggs.bucket(facet.name, "filter", facet_filter(query, facet.group))
        bucket.bucket(f"{facet.name}_values", A("terms", field=facet.name, size=FACET_BUCKETS))
    return search


def _facet_counts(aggregations, query):
    counts = {}
    for facet in FACETS:
        bucket = aggregations[facet.name if facet.group in query.filters else "matched"]
        values = bucket[f"{facet.name}_values"].buckets
        counts[facet.name] = {value.key: value.doc_count for value in values}
    return counts


def _items(hits, query):
    items = []
    for hit in hits:
        payload = hit.payload.to_dict()
        distance = None
        if query.place and payload["latitude"] is not None:
            km = great_circle_km(
                query.place.latitude, query.place.longitude,
                payload["latitude"], payload["longitude"],
            )  # fmt: skip
            distance = km if km <= query.distance_km else None
        items.append(Item(int(hit.meta.id), payload, distance, hit.contact_public))
    return items


def count(query):
    """How many services the query finds within its distance (all without a place): one
    search of no page and no facet (after the one for the relevance cutoff, with words)."""
    filters = _filters(query)
    cutoff = _relevance_cutoff(query, filters)
    if query.place:
        filters.append(_in_range(query))
    found = _search(query, [*filters, facet_filter(query)], cutoff).source(False)[:0]
    return found.execute().hits.total.value


def search(query):
    filters, selected = _filters(query), facet_filter(query)
    start, stop = query.offset, query.offset + query.size
    cutoff = _relevance_cutoff(query, filters)
    if query.place is None:
        page = _search(query, filters, cutoff).post_filter(selected)
        response = _with_facets(page.sort("_score", *TIE_ORDER)[start:stop], query).execute()
        near_total, items = 0, _items(response.hits, query)
    else:
        in_range, remote = _in_range(query), Q("term", a_distance=True)
        geo_sort = {
            "_geo_distance": {
                "location": _point(query),
                "order": "asc", "unit": "km", "distance_type": "arc",
            }
        }  # fmt: skip
        near = _search(query, [*filters, in_range | remote], cutoff, near=True)
        near = _with_facets(near.post_filter(in_range & selected), query)
        # Whether remote services lie beyond the distance: most searches have none, and then
        # the second search for them is not made.
        near.aggs.bucket("beyond", "filter", remote & ~in_range & selected)
        response = near.sort("_score", geo_sort, *TIE_ORDER)[start:stop].execute()
        near_total, items = response.hits.total.value, _items(response.hits, query)
        beyond = response.aggregations.beyond.doc_count
        if beyond and len(items) < query.size and stop > near_total:
            far = _search(query, [*filters, remote & selected, ~in_range], cutoff)
            far = far.sort("_score", *TIE_ORDER)
            far_start = max(0, start - near_total)
            far_page = far[far_start : far_start + query.size - len(items)].execute()
            items += _items(far_page.hits, query)
    aggregations = response.aggregations
    return Results(
        items=items,
        total=aggregations.matched.doc_count,
        page=query.page,
        size=query.size,
        facets=_facet_counts(aggregations, query),
        backend=NAME,
        in_range=near_total if query.place else None,
    )
