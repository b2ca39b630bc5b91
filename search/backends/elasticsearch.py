"""The Elasticsearch backend: one index behind an alias, the same contract as the database.

The server runs no analysis of its own: tokens come from `search.text`, facets are keywords,
the place is a geo_point. A search is at most three requests: with words, the best relevance
among the services the place and the words give (search.ranking's cutoff); then, in one
multi-search run side by side, the page (the services in range matching every selection, with
the facets of the groups without selection and how many remote services lie beyond the
distance) and one count per group with a selection, its facets under the other groups'
selections (disjunctive counts, search/facets.py); then the remote services beyond the distance
when the page reaches them. The count searches (size 0) stay in Elasticsearch's request cache
until the index changes. Ties (and remote services) go by péremption, latest first, then id
(`catalogue.fraicheur`)."""

import functools
import time
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from elasticsearch import ApiError, Elasticsearch, TransportError, helpers
from elasticsearch.dsl import (
    Boolean,
    Date,
    Document,
    GeoPoint,
    Index,
    IntegerRange,
    Keyword,
    Object,
)

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
    # The time zone and the weekly open intervals (minutes of the week, catalogue.horaires).
    fuseau = Keyword()
    ouverture = IntegerRange()
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
# Request bodies are plain dictionaries: a search with words holds hundreds of clauses, and
# building them as DSL objects cost more than Elasticsearch's answer. The words' clauses are
# built once per search (`_words`) and shared by its requests.


def _bool(**clauses):
    return {"bool": clauses}


def _any(*options):
    return _bool(should=list(options), minimum_should_match=1)


def _terms(field, values):
    return {"terms": {field: sorted(values)}}


def _missing(field):
    return _bool(must_not=[{"exists": {"field": field}}])


def _found(alternatives, prefix=""):
    """« One of these alternatives is in the field »: the one-token ones in one `terms` query
    (a query of hundreds of clauses costs Elasticsearch more than the search itself)."""
    single = [f"{prefix}{a.tokens[0]}" for a in alternatives if len(a.tokens) == 1]
    options = [_terms("tokens", single)] if single else []
    options += [
        _bool(filter=[{"term": {"tokens": f"{prefix}{token}"}} for token in a.tokens])
        for a in alternatives
        if len(a.tokens) > 1
    ]
    return options


def _contains(concept):
    """« The service contains this concept » (`search.ranking.Concept`)."""
    options = _found(concept.alternatives)
    if concept.thematiques:
        options.append(_terms("thematiques", concept.thematiques))
    return _any(*options)


def _relevance(concept):
    """The clause scoring a concept's best alternative, as search.ranking.relevance: the
    alternatives of one strength share a clause per field."""
    options = []
    for strength in sorted({a.strength for a in concept.alternatives}):
        alike = [a for a in concept.alternatives if a.strength == strength]
        for prefix, weight in ranking.FIELDS:
            boost = ranking.clause_score(concept, alike[0], weight)
            options.append(
                {"constant_score": {"filter": _any(*_found(alike, prefix)), "boost": boost}}
            )
    if concept.thematiques:
        found = _terms("thematiques", concept.thematiques)
        boost = ranking.thematique_score(concept)
        options.append({"constant_score": {"filter": found, "boost": boost}})
    return {"dis_max": {"queries": options, "tie_breaker": 0}}


@dataclass(frozen=True)
class _Words:
    matches: dict  # filter: the service contains a matching group of concepts
    relevance: list  # should clauses: the sum of their scores is the service's relevance


@functools.lru_cache(maxsize=64)
def _words(concepts):
    groups = ranking.matching_groups(concepts)
    matches = _any(*(_bool(filter=[_contains(c) for c in group]) for group in groups))
    return _Words(matches, [_relevance(concept) for concept in concepts])


def _filters(query):
    filters = [_words(query.concepts).matches] if query.concepts else []
    if query.public:
        filters.append({"range": {"date_maj": {"gte": ranking.hidden_since().isoformat()}}})
    if query.place:
        filters.append(_any(_terms("zones", query.place.zone_codes), _missing("zones")))
    if query.open_at:
        filters.append(_open(query.open_at))
    return filters


def _open(open_at):
    """« Open at the minute given for its zone » (`SearchQuery.open_at`)."""
    options = []
    for minute, zones in open_at:
        holds = {"term": {"ouverture": minute}}
        options.append(holds if zones is None else _bool(filter=[holds, _terms("fuseau", zones)]))
    return _any(*options)


def facet_filter(query, except_group=None):
    """The facet selections of the query (all, or all but one group's), as a list of filters."""
    selected = []
    for name, selection in query.filters.items():
        if name != except_group:
            group = GROUPS[name]
            passes = _terms(name, group.accepted(selection))
            selected.append(_any(passes, _missing(name)) if group.keeps_empty else passes)
    return selected


def _point(query):
    return {"lat": query.place.latitude, "lon": query.place.longitude}


def _within(query, km):
    return {"geo_distance": {"distance": f"{km}km", "location": _point(query)}}


def _in_range(query):
    return _within(query, query.distance_km)


REMOTE = {"term": {"a_distance": True}}


def _freshness_functions(query):
    today = timezone.localdate()
    hidden = {"range": {"date_maj": {"lt": ranking.hidden_since(today).isoformat()}}}
    functions = [{"filter": hidden, "weight": ranking.HIDDEN}]
    if query.by_relevance:
        late = {"range": {"perime_le": {"lt": today.isoformat()}}}
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
    return {"function_score": {"query": scored, "functions": functions, **options}}


def _scored(query, filters, cutoff=None, near=False):
    """The query scored as search.ranking says: relevance (at least `cutoff`) × proximity ×
    freshness, or 1 × freshness when sorting by distance."""
    if query.concepts:
        scored = _bool(filter=filters, should=_words(query.concepts).relevance)
        if cutoff:
            scored = _function_score(scored, [{"weight": 1}], min_score=cutoff)
        if not query.by_relevance:
            scored = _function_score(scored, [{"weight": 1}], boost_mode="replace")
    else:
        scored = _bool(filter=filters, must=[{"match_all": {}}])
    if query.by_relevance and near:
        scored = _function_score(scored, _proximity_functions(query))
    if query.public and not query.by_relevance:
        return scored  # hidden services are left out: by distance, freshness changes nothing
    return _function_score(scored, _freshness_functions(query))


def _body(query, filters, cutoff=None, near=False, start=0, size=0, **parts):
    """A search's body: the page from `start` (`size` 0: counts only — Elasticsearch keeps
    such answers in its request cache until the index changes)."""
    body = {"query": _scored(query, filters, cutoff, near), "size": size, **parts}
    if size:
        body |= {"from": start, "_source": ["payload", "contact_public"]}
    return {"track_total_hits": True, **body}


def _scope(query):
    """The filters of the services a search reads: the words, the public, the zones, and
    within the distance or remote (the remote ones beyond the distance come after)."""
    filters = _filters(query)
    if query.place:
        filters.append(_any(_in_range(query), REMOTE))
    return filters


BEST = {"top_hits": {"size": 1, "_source": False}}


def _cutoff_body(query, farther=()):
    """The best relevance among the services the place and the words give (the facet
    selections left aside), as a count search; None without words. With `farther` (the query
    with longer distances only), the services are read up to the longest, and the best
    relevance of each farther query's scope is given too (`_farther_counts`)."""
    if not query.concepts:
        return None
    widest = max([query, *farther], key=lambda other: other.distance_km)
    scored = _bool(filter=_scope(widest), should=_words(query.concepts).relevance)
    aggs = {"best": BEST}
    if farther:
        aggs["best"] = _in_scope(query, BEST)
        aggs |= {f"best_{i}": _in_scope(other, BEST) for i, other in enumerate(farther)}
    return {"query": scored, "size": 0, "track_total_hits": False, "aggs": aggs}


def _in_scope(query, aggregation):
    """The aggregation over the services of the query's scope (within its distance, or remote)."""
    return {"filter": _any(_in_range(query), REMOTE), "aggs": {"best": aggregation}}


def _farther_body(farther, cutoff):
    """The counts of the farther queries (`_cutoff_body`), all built with one cutoff: one
    search at the longest distance, an aggregation per distance."""
    widest = max(farther, key=lambda other: other.distance_km)
    aggs = {f"found_{i}": {"filter": _in_range(other)} for i, other in enumerate(farther)}
    return _count_body(widest, cutoff) | {"aggs": aggs}


def _farther_counts(cutoff_response, farther_response, farther, built_with):
    """`counts` of the farther queries: from the `_farther_body` built with `built_with` for
    those whose cutoff it is, 0 for those no service has the words for, None for the others
    (to be counted apart)."""
    found = []
    for i in range(len(farther)):
        cutoff = _relevance_cutoff(cutoff_response["aggregations"][f"best_{i}"])
        counted = farther_response["aggregations"][f"found_{i}"]["doc_count"]
        found.append(0 if cutoff is None else counted if cutoff == built_with else None)
    return found


def _multi(bodies):
    """The responses to these search bodies, in one request (run side by side)."""
    if not bodies:
        return []
    lines = [line for body in bodies for line in ({}, body)]
    answer = client().msearch(index=alias(), searches=lines)
    for response in answer["responses"]:
        if "error" in response:
            raise ApiError(message="msearch", meta=answer.meta, body=response)
    return answer["responses"]


def _cutoff(response):
    """search.ranking.relevance_cutoff from the response to a `_cutoff_body` (None without
    words, or without any service containing them)."""
    return _relevance_cutoff(response["aggregations"]["best"]) if response else None


def _relevance_cutoff(best):
    """The cutoff from a `best` aggregation's answer (filtered by `_in_scope`, or not)."""
    hits = best.get("best", best)["hits"]["hits"]
    return ranking.relevance_cutoff(hits[0]["_score"]) if hits else None


def _expected_cutoff(query):
    """The cutoff when some service within reach has every concept at its best: the one the
    requests are first built with (sent with the cutoff's own request, they cost no wait)."""
    if not query.concepts:
        return None
    return ranking.relevance_cutoff(ranking.best_possible(query.concepts))


def _with_cutoffs(queries, build, farther=()):
    """[build(query, cutoff)] with each query's relevance cutoff: the responses to the cutoff
    requests (`farther`: those of the first query, `_cutoff_body`), the cutoffs the bodies
    were finally built with, and the responses to them.
    The bodies built with the expected cutoff go with the cutoff requests in one
    multi-search; those whose cutoff differs (no service has every word at its best, or none
    has the words: then nothing matches either way) are sent again with the real one."""
    cutoff_bodies = [
        _cutoff_body(query, farther if i == 0 else ()) for i, query in enumerate(queries)
    ]
    expected = [_expected_cutoff(query) for query in queries]
    bodies = [build(query, cutoff) for query, cutoff in zip(queries, expected, strict=True)]
    asked = [body for body in cutoff_bodies if body]
    answers = iter(_multi(asked + [body for group in bodies for body in group]))
    responses = [next(answers) if body else None for body in cutoff_bodies]
    answered = [[next(answers) for _ in group] for group in bodies]
    cutoffs = [_cutoff(response) for response in responses]
    again = [
        i for i, (real, guess) in enumerate(zip(cutoffs, expected, strict=True))
        if real is not None and real != guess
    ]  # fmt: skip
    rebuilt = {i: build(queries[i], cutoffs[i]) for i in again}
    answers = iter(_multi([body for i in again for body in rebuilt[i]]))
    for i in again:
        answered[i] = [next(answers) for _ in rebuilt[i]]
    used = [cutoffs[i] if i in rebuilt else guess for i, guess in enumerate(expected)]
    return responses, used, answered


def _facet_aggs(facets):
    return {facet.name: {"terms": {"field": facet.name, "size": FACET_BUCKETS}} for facet in facets}


def _geo_sort(query):
    return {
        "_geo_distance": {
            "location": _point(query), "order": "asc", "unit": "km", "distance_type": "arc",
        }
    }  # fmt: skip


def _page_body(query, cutoff):
    """The page: the services within the distance matching every selection (its total is
    `in_range`), how many remote ones lie beyond (`beyond`), and the counts of the groups
    without selection."""
    filters = [*_scope(query), *facet_filter(query)]
    aggs = _facet_aggs([facet for facet in FACETS if facet.group not in query.filters])
    parts = {"start": query.offset, "size": query.size, "aggs": aggs}
    if query.place is None:
        return _body(query, filters, cutoff, sort=["_score", *TIE_ORDER], **parts)
    aggs["beyond"] = {"filter": _bool(must_not=[_in_range(query)])}
    sort = ["_score", _geo_sort(query), *TIE_ORDER]
    return _body(
        query, filters, cutoff, near=True, sort=sort, post_filter=_in_range(query), **parts
    )


def _group_body(query, group, cutoff):
    """Disjunctive counts of a group with a selection: its facets over the services matching
    every other group's selection."""
    aggs = _facet_aggs([facet for facet in FACETS if facet.group == group])
    filters = [*_scope(query), *facet_filter(query, group)]
    return _body(query, filters, cutoff, aggs=aggs, track_total_hits=False)


def _far_body(query, cutoff, start, size):
    """Remote services beyond the distance matching every selection, from `start`."""
    beyond = [REMOTE, _bool(must_not=[_in_range(query)]), *facet_filter(query)]
    sort = ["_score", *TIE_ORDER]
    return _body(query, [*_filters(query), *beyond], cutoff, start=start, size=size, sort=sort)


def _facet_counts(page, groups):
    """{facet: {value: count}} from the page's response and the groups' ({group: response})."""
    counts = {}
    for facet in FACETS:
        buckets = groups.get(facet.group, page)["aggregations"][facet.name]["buckets"]
        counts[facet.name] = {bucket["key"]: bucket["doc_count"] for bucket in buckets}
    return counts


def _items(hits, query):
    items = []
    for hit in hits:
        payload = hit["_source"]["payload"]
        distance = None
        if query.place and payload["latitude"] is not None:
            km = great_circle_km(
                query.place.latitude, query.place.longitude,
                payload["latitude"], payload["longitude"],
            )  # fmt: skip
            distance = km if km <= query.distance_km else None
        items.append(Item(int(hit["_id"]), payload, distance, hit["_source"]["contact_public"]))
    return items


def counts(queries):
    """How many services each query finds within its distance (all without a place): one
    request when some service has the words at their best, else two (`_with_cutoffs`)."""
    _, _, answered = _with_cutoffs(queries, lambda query, cutoff: [_count_body(query, cutoff)])
    return [response["hits"]["total"]["value"] for (response,) in answered]


def _count_body(query, cutoff):
    filters = [*_filters(query), *facet_filter(query)]
    if query.place:
        filters.append(_in_range(query))
    return _body(query, filters, cutoff)


def _farther(other, query):
    """Whether `other` is the query with a longer distance only."""
    longer = query.place is not None and other.distance_km > query.distance_km
    return longer and query.alike_but_distance(other)


def _page_and_groups(query, cutoff):
    return [_page_body(query, cutoff), *(_group_body(query, g, cutoff) for g in query.filters)]


def search(query, also_count=()):
    """The query's results. A search with words also counts the queries of `also_count` (the
    zero-result help's: `Results.counted`) in its own multi-search, so that they cost no wait;
    those with a longer distance only in one search, with the cutoffs of the query's."""
    also_count = list(also_count) if query.concepts else []
    farther = [other for other in also_count if _farther(other, query)]
    apart = [other for other in also_count if other not in farther]

    def build(one, cutoff):
        if one is not query:
            return [_count_body(one, cutoff)]
        return _page_and_groups(one, cutoff) + ([_farther_body(farther, cutoff)] if farther else [])

    responses, cutoffs, answered = _with_cutoffs([query, *apart], build, farther)
    page, *counted = answered[0][: 1 + len(query.filters)]
    cutoff = cutoffs[0]
    totals = [response["hits"]["total"]["value"] for (response,) in answered[1:]]
    if farther:
        totals += _farther_counts(responses[0], answered[0][-1], farther, cutoff)
    found = dict(zip(map(id, apart + farther), totals, strict=True))
    groups = list(query.filters)
    items, in_range = _items(page["hits"]["hits"], query), page["hits"]["total"]["value"]
    beyond = page["aggregations"]["beyond"]["doc_count"] if query.place else 0
    # The remote services beyond the distance, after those within it: most searches have none,
    # and then this search is not made.
    if beyond and len(items) < query.size and query.offset + query.size > in_range:
        start, size = max(0, query.offset - in_range), query.size - len(items)
        (far,) = _multi([_far_body(query, cutoff, start, size)])
        items += _items(far["hits"]["hits"], query)
    return Results(
        items=items,
        total=in_range + beyond,
        page=query.page,
        size=query.size,
        facets=_facet_counts(page, dict(zip(groups, counted, strict=True))),
        backend=NAME,
        in_range=in_range if query.place else None,
        counted=[found[id(other)] for other in also_count],
    )
