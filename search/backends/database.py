"""The embedded backend: the IndexEntry table, filtered, scored, counted and ordered in SQL.

It answers exactly like the Elasticsearch backend (the contract tests run on both) and is
always current: its entries are rewritten in the transaction of each catalogue change.
"""

import math
from functools import reduce
from operator import add, and_, or_

from django.db import connection
from django.db.models import BooleanField, Case, Count, F, FloatField, Func, Q, Value, When
from django.db.models.functions import Collate, Cos, Power, Radians, Sin, StrIndex
from django.db.models.lookups import GreaterThan
from django.utils import timezone

from geopy.distance import EARTH_RADIUS

from catalogue.horaires import MINUTES_PER_DAY
from search import ranking
from search.facets import FACET_NAMES, GROUPS, FacetCounter
from search.models import IndexEntry, IndexOpening, IndexPayload
from search.query import Item, Results
from territoires.services import great_circle_km

NAME = "database"
KM_PER_DEGREE_OF_LATITUDE = 111.2
# Ties are ordered by identifiant as Python and Elasticsearch compare strings.
CODE_POINT_ORDER = {"postgresql": "C", "sqlite": "BINARY"}


def _bars(values):
    return "|" + "|".join(values) + "|" if values else ""


def _unbar(text):
    return text.strip("|").split("|") if text else []


def entry(document):
    return IndexEntry(
        service_id=document["id"],
        identifiant=document["identifiant"],
        latitude=document["latitude"],
        longitude=document["longitude"],
        sur_place=document["sur_place"],
        a_distance=document["a_distance"],
        tokens=f" {' '.join(document['tokens'])} ",
        **{facet: _bars(document[facet]) for facet in FACET_NAMES},
        zones=_bars(document["zones"]),
        contact_public=document["contact_public"],
        date_maj=document["date_maj"],
        perime_le=document["perime_le"],
    )


def openings(document):
    """The IndexOpening rows of a document's weekly open intervals."""
    return [
        IndexOpening(
            service_id=document["id"], fuseau=document["fuseau"], start=r["gte"], end=r["lt"]
        )
        for r in document["ouverture"]
    ]


def replace(service_ids, documents):
    """Rewrites the entries of these services: the documents given, and none for the others."""
    documents = list(documents)
    IndexEntry.objects.filter(service_id__in=service_ids).delete()
    IndexPayload.objects.filter(service_id__in=service_ids).delete()
    IndexOpening.objects.filter(service_id__in=service_ids).delete()
    rows = [row for document in documents for row in openings(document)]
    IndexOpening.objects.bulk_create(rows, batch_size=500)
    IndexEntry.objects.bulk_create([entry(document) for document in documents], batch_size=500)
    IndexPayload.objects.bulk_create(
        [IndexPayload(service_id=d["id"], payload=d["payload"]) for d in documents], batch_size=500
    )


def analyse_entries():
    """Tells the database's planner what the entries hold after they were all rewritten
    (`search.sync.rebuild_database_index`), without waiting for its automatic analysis: a
    planner still counting the old rows picks the wrong indexes (searches twice slower)."""
    with connection.cursor() as cursor:
        for model in (IndexEntry, IndexOpening):
            cursor.execute(f"ANALYZE {model._meta.db_table}")


def documents(service_ids):
    """{id: document} of the entries of these services: what Elasticsearch is fed from, so a
    document is built once, in the transaction of its change."""
    payloads = IndexPayload.objects.in_bulk(service_ids)
    entries = IndexEntry.objects.filter(service_id__in=service_ids)
    ranges = {}
    for row in IndexOpening.objects.filter(service_id__in=service_ids).order_by("start"):
        ranges.setdefault(row.service_id, []).append({"gte": row.start, "lt": row.end})
    return {
        entry.service_id: _document(entry, payloads[entry.service_id].payload)
        | {"ouverture": ranges.get(entry.service_id, [])}
        for entry in entries
    }


def _document(entry, payload):
    return {
        "id": entry.service_id,
        "identifiant": entry.identifiant,
        "latitude": entry.latitude,
        "longitude": entry.longitude,
        "sur_place": entry.sur_place,
        "a_distance": entry.a_distance,
        "tokens": entry.tokens.split(),
        **{facet: _unbar(getattr(entry, facet)) for facet in FACET_NAMES},
        "zones": _unbar(entry.zones),
        "contact_public": entry.contact_public,
        "date_maj": entry.date_maj.isoformat(),
        "perime_le": entry.perime_le.isoformat(),
        "fuseau": payload.get("fuseau_horaire", ""),
        "payload": payload,
    }


class Holds(Func):
    """SQL for « this list column (` a b ` or `|a|b|`) holds these items »: all of them
    (`every`) or one of them. On PostgreSQL an array comparison that its GIN index on
    `string_to_array(column, separator)` answers (migration search 0011), so that a search
    reads only the services holding its words, values or zones; elsewhere one `instr` per item."""

    output_field = BooleanField()

    def __init__(self, column, items, every=False):
        super().__init__(F(column))
        self.separator = " " if column == "tokens" else "|"
        self.items, self.every = list(items), every

    def as_sql(self, compiler, connection, **extra_context):
        column, params = compiler.compile(self.source_expressions[0])
        tests = [f"INSTR({column}, %s) > 0" for _ in self.items]
        sql = (" AND " if self.every else " OR ").join(tests)
        return f"({sql})", [p for item in self.items for p in (*params, self._bounded(item))]

    def as_postgresql(self, compiler, connection, **extra_context):
        column, params = compiler.compile(self.source_expressions[0])
        operator = "@>" if self.every else "&&"
        sql = f"string_to_array({column}, '{self.separator}') {operator} %s::text[]"
        return sql, [*params, self.items]

    def _bounded(self, item):
        return f"{self.separator}{item}{self.separator}"


def _any_of(column, values):
    return Q(Holds(column, values))


def _has(needles):
    """SQL for « every needle (` t:token `…) is in the tokens », row by row (the relevance):
    `strpos` (`instr`), three times faster than LIKE on PostgreSQL."""
    return reduce(and_, (Q(GreaterThan(StrIndex("tokens", Value(n)), 0)) for n in needles))


def _contains(concept):
    """SQL for « the service contains this concept » (`search.ranking.Concept`), answered by
    the indexes (`Holds`): the one-token alternatives in one comparison."""
    single = [a.tokens[0] for a in concept.alternatives if len(a.tokens) == 1]
    options = [Q(Holds("tokens", single))] if single else []
    options += [
        Q(Holds("tokens", a.tokens, every=True)) for a in concept.alternatives if len(a.tokens) > 1
    ]
    if concept.thematiques:
        options.append(_any_of("thematiques", concept.thematiques))
    return reduce(or_, options)


def _matches_words(concepts):
    groups = ranking.matching_groups(concepts)
    return reduce(or_, (reduce(and_, map(_contains, group)) for group in groups))


def _relevance(concepts):
    """SQL for the relevance (search.ranking): per concept, its best clause found — the
    first found of its clauses ordered best first."""
    return reduce(add, map(_concept_relevance, concepts, ranking.scorings(concepts)))


def _concept_relevance(concept, scorings):
    options = [(score, _has(needles)) for score, needles in scorings]
    if concept.thematiques:
        thematique = ranking.thematique_score(concept)
        options.append((thematique, _any_of("thematiques", concept.thematiques)))
    options.sort(key=lambda option: -option[0])
    whens = [When(found, then=Value(score)) for score, found in options]
    return Case(*whens, default=Value(0.0), output_field=FloatField())


def _conditions(query):
    """Where the services a search reads are: its words, the public, the zones, the box around
    the place (or remote)."""
    conditions = [_matches_words(query.concepts)] if query.concepts else []
    if query.public:
        conditions.append(Q(date_maj__gte=ranking.hidden_since()))
    if query.place:
        conditions.append(_within_reach(query))
    if query.open_at:
        conditions.append(_open(query.open_at))
    return reduce(and_, conditions, Q())


def _within_reach(query):
    """SQL for the services whose zone covers the place, in the box around it or remote: the
    remote ones found through their zones (PostgreSQL's indexes on them), not read all."""
    zoned_here = _any_of("zones", query.place.zone_codes)
    box = _bounding_box(query.place, query.distance_km) & (Q(zones="") | zoned_here)
    remote = Q(a_distance=True) & (Q(zones="") | zoned_here)
    return box | remote


def _open(open_at):
    """SQL for « open at the minute given for its zone » (`SearchQuery.open_at`): an interval
    lies within one day, so it starts between that day's midnight and the minute (indexed)."""
    options = []
    for minute, zones in open_at:
        holds = Q(start__gte=minute - minute % MINUTES_PER_DAY, start__lte=minute, end__gt=minute)
        options.append(holds if zones is None else holds & Q(fuseau__in=zones))
    return Q(service_id__in=IndexOpening.objects.filter(reduce(or_, options)).values("service_id"))


def _passes(name, selection):
    """SQL for one group's selection: one of `Facet.accepted`, or none when it keeps empty ones."""
    group = GROUPS[name]
    passes = _any_of(name, group.accepted(selection))
    return Q(**{name: ""}) | passes if group.keeps_empty else passes


def _selected(query, except_group=None):
    """SQL for the facet selections, all or all but one group's."""
    selected = (_passes(n, s) for n, s in query.filters.items() if n != except_group)
    return reduce(and_, selected, Q())


def _haversine(place):
    """SQL for the haversine term of `great_circle_km` from the place: a service is within d km
    when it is at most `_within(d)` (the database computes no arcsine)."""
    phi = math.radians(place.latitude)
    latitude, longitude = Radians(F("latitude")), Radians(F("longitude"))
    return Power(Sin((latitude - phi) / 2), 2) + math.cos(phi) * Cos(latitude) * Power(
        Sin((longitude - math.radians(place.longitude)) / 2), 2
    )


def _within(km):
    return math.sin(km / (2 * EARTH_RADIUS)) ** 2


def _bounding_box(place, distance_km):
    """A box a little larger than the circle: the exact distance is checked afterwards."""
    margin = 1.01
    dlat = distance_km / KM_PER_DEGREE_OF_LATITUDE * margin
    cos_lat = max(
        math.cos(math.radians(place.latitude + math.copysign(dlat, place.latitude))), 0.01
    )
    dlon = dlat / cos_lat
    return Q(
        latitude__range=(place.latitude - dlat, place.latitude + dlat),
        longitude__range=(place.longitude - dlon, place.longitude + dlon),
    )


def _scope(query):
    """The services a search reads (facet selections and relevance cutoff aside), annotated
    with `beyond` (remote, beyond the distance) and `relevance` (1 without words)."""
    entries = IndexEntry.objects.filter(_conditions(query))
    if query.place:
        entries = entries.alias(haversine=_haversine(query.place)).annotate(
            beyond=Case(
                When(haversine__lte=_within(query.distance_km), then=Value(False)),
                default=Value(True),
            )
        )
        entries = entries.filter(Q(beyond=False) | Q(a_distance=True))
    else:
        entries = entries.annotate(beyond=Value(False))
    relevance = _relevance(query.concepts) if query.concepts else Value(1.0)
    return entries.annotate(relevance=relevance)


def _grouped(scope, *columns, **flags):
    """[(relevance, beyond, *flags, *columns, count)]: the scope counted by these values, in
    one read; the flags are conditions, True or False per row."""
    flags = {name: _flag(condition) for name, condition in flags.items()}
    grouped = scope.annotate(**flags).values_list("relevance", "beyond", *flags, *columns)
    return list(grouped.annotate(count=Count("pk")))


def _cutoff(query, grouped):
    """search.ranking.relevance_cutoff over the grouped scope (0 without words)."""
    if not query.concepts or not grouped:
        return 0.0
    return ranking.relevance_cutoff(max(relevance for relevance, *_ in grouped))


def _flag(condition):
    if condition == Q():
        return Value(True)
    return Case(When(condition, then=Value(True)), default=Value(False))


def _freshness(query, today, hidden_before):
    """SQL for the freshness factor (search.ranking.freshness), or, sorting by distance, only
    whether the service is hidden from the public."""
    late = [When(perime_le__lt=today, then=Value(ranking.LATE))] if query.by_relevance else []
    return Case(
        When(date_maj__lt=hidden_before, then=Value(ranking.HIDDEN)),
        *late,
        default=Value(ranking.ON_TIME),
        output_field=FloatField(),
    )


def _proximity():
    bands = [
        When(haversine__lte=_within(limit), then=Value(factor))
        for limit, factor in ranking.PROXIMITY_BANDS_KM
    ]
    far = Value(ranking.FAR)
    return Case(When(beyond=True, then=far), *bands, default=far, output_field=FloatField())


def _ordered(query, entries):
    """Within the distance first, then remote services; by score (relevance × proximity ×
    freshness, or freshness alone by distance), then nearer, then the later péremption, then
    the identifiant in code-point order (search.ranking)."""
    today = timezone.localdate()
    score = _freshness(query, today, ranking.hidden_since(today))
    if query.by_relevance:
        score = F("relevance") * score
        if query.place:
            score = score * _proximity()
    order = ["beyond", "-score"]
    if query.place:
        near = Case(When(beyond=False, then=F("haversine")), default=Value(0.0))
        entries, order = entries.alias(near=near), [*order, "near"]
    identifiant = Collate("identifiant", CODE_POINT_ORDER[connection.vendor])
    return entries.alias(score=score).order_by(*order, "-perime_le", identifiant)


def _count_facets(query, grouped, cutoff, facets):
    """Counts the services passing every selection in every facet (and returns how many lie
    within the distance and beyond it), and those failing one group's selection only in that
    group's facets (disjunctive counts). `grouped`: `_grouped` by the groups' flags and every
    facet."""
    groups = list(query.filters)
    in_range = beyond = 0
    for relevance, far, *row, count in grouped:
        if relevance < cutoff:
            continue
        passes, values = row[: len(groups)], map(_unbar, row[len(groups) :])
        values = dict(zip(FACET_NAMES, values, strict=True))
        failed = [name for name, passed in zip(groups, passes, strict=True) if not passed]
        if not failed:
            facets.add(values, count)
            if far:
                beyond += count
            else:
                in_range += count
        elif len(failed) == 1:
            facets.add(values, count, failing=failed[0])
    return in_range, beyond


def _distance(query, latitude, longitude):
    if query.place is None or latitude is None:
        return None
    km = great_circle_km(query.place.latitude, query.place.longitude, latitude, longitude)
    return km if km <= query.distance_km else None


def search(query, also_count=()):
    """The query's results; `also_count` is not counted here (`Results.counted` stays empty):
    the database counts them as cheaply when asked (`counts`)."""
    scope = _scope(query)
    flags = {f"passes_{name}": _passes(name, query.filters[name]) for name in query.filters}
    grouped = _grouped(scope, *FACET_NAMES, **flags)
    cutoff = _cutoff(query, grouped)
    facets = FacetCounter()
    in_range, beyond = _count_facets(query, grouped, cutoff, facets)
    passing = scope.filter(_selected(query), relevance__gte=cutoff)
    page = _ordered(query, passing).values_list(
        "service_id", "latitude", "longitude", "contact_public"
    )[query.offset : query.offset + query.size]
    page = list(page) if in_range + beyond else []
    payloads = IndexPayload.objects.in_bulk([pk for pk, *_ in page])
    items = [
        Item(pk, payloads[pk].payload, _distance(query, latitude, longitude), public)
        for pk, latitude, longitude, public in page
    ]
    return Results(
        items=items,
        total=in_range + beyond,
        page=query.page,
        size=query.size,
        facets=facets.facets(),
        backend=NAME,
        in_range=in_range if query.place else None,
    )


def counts(queries):
    """`Results.in_range` (or `total` without a place) of each query, without facet counts,
    order or page: one grouped read for the queries that differ only by their distance (the
    zero-result help's wider distances), read at the widest."""
    found = {}
    for alike in _alike_but_distance(queries):
        widest = max(alike, key=lambda query: query.distance_km)
        within = {
            f"within_{i}": Q(haversine__lte=_within(query.distance_km)) if query.place else Q()
            for i, query in enumerate(alike)
        }
        scope = _scope(widest)
        if not widest.concepts:  # no relevance cutoff to find: only the selected services count
            scope = scope.filter(_selected(widest))
        grouped = _grouped(scope, "a_distance", selected=_selected(widest), **within)
        for i, query in enumerate(alike):
            found[id(query)] = _count(query, grouped, i)
    return [found[id(query)] for query in queries]


def _alike_but_distance(queries):
    groups = []
    for query in queries:
        match = next((g for g in groups if g[0].alike_but_distance(query)), None)
        if match:
            match.append(query)
        else:
            groups.append([query])
    return groups


def _count(query, grouped, i):
    """The count of the i-th query of `counts` from the grouped read: its scope is the rows
    within its distance or remote, its cutoff computed over them."""
    rows = [
        (relevance, selected, flags[i], remote, count)
        for relevance, _, selected, *flags, remote, count in grouped
        if flags[i] or remote
    ]
    cutoff = _cutoff(query, rows)
    return sum(
        count
        for relevance, selected, within, _, count in rows
        if selected and within and relevance >= cutoff
    )


def clear():
    IndexEntry.objects.all().delete()
    IndexPayload.objects.all().delete()
    IndexOpening.objects.all().delete()
