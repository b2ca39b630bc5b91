"""The embedded backend: the IndexEntry table, filtered in SQL, distances and facets in Python.

It answers exactly like the Elasticsearch backend (the contract tests run on both) and is
always current: its entries are rewritten in the transaction of each catalogue change.
"""

import math
from functools import reduce
from operator import and_, or_

from django.db.models import Count, F, Q
from django.db.models.functions import Cos, Power, Radians, Sin
from django.utils import timezone

from geopy.distance import EARTH_RADIUS

from catalogue.horaires import MINUTES_PER_DAY
from search import ranking
from search.facets import FACET_NAMES, FACETS, GROUPS, FacetCounter
from search.models import IndexEntry, IndexOpening, IndexPayload
from search.query import Item, Results
from territoires.services import great_circle_km

NAME = "database"
KM_PER_DEGREE_OF_LATITUDE = 111.2


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


def _any_of(column, values):
    return reduce(or_, (Q(**{f"{column}__contains": f"|{value}|"}) for value in values))


def _contains(concept):
    """SQL for « the service contains this concept » (`search.ranking.Concept`)."""
    options = [
        reduce(and_, (Q(tokens__contains=f" {token} ") for token in alternative.tokens))
        for alternative in concept.alternatives
    ]
    if concept.thematiques:
        options.append(_any_of("thematiques", concept.thematiques))
    return reduce(or_, options)


def _matches_words(concepts):
    groups = ranking.matching_groups(concepts)
    return reduce(or_, (reduce(and_, map(_contains, group)) for group in groups))


def _conditions(query):
    """Everything but the facet selections, which `FacetCounter` applies to the rows."""
    conditions = [_matches_words(query.concepts)] if query.concepts else []
    if query.public:
        conditions.append(Q(date_maj__gte=ranking.hidden_since()))
    if query.place:
        conditions.append(Q(zones="") | _any_of("zones", query.place.zone_codes))
        conditions.append(_bounding_box(query.place, query.distance_km) | Q(a_distance=True))
    if query.open_at:
        conditions.append(_open(query.open_at))
    return reduce(and_, conditions, Q())


def _open(open_at):
    """SQL for « open at the minute given for its zone » (`SearchQuery.open_at`): an interval
    lies within one day, so it starts between that day's midnight and the minute (indexed)."""
    options = []
    for minute, zones in open_at:
        holds = Q(start__gte=minute - minute % MINUTES_PER_DAY, start__lte=minute, end__gt=minute)
        options.append(holds if zones is None else holds & Q(fuseau__in=zones))
    return Q(service_id__in=IndexOpening.objects.filter(reduce(or_, options)).values("service_id"))


def _passes(name, selection):
    """SQL for one group's selection (`Facet.matches`)."""
    group = GROUPS[name]
    passes = _any_of(name, group.accepted(selection))
    return Q(**{name: ""}) | passes if group.keeps_empty else passes


def _selected(query, except_group=None):
    """SQL for the facet selections, all or all but one group's."""
    selected = (_passes(n, s) for n, s in query.filters.items() if n != except_group)
    return reduce(and_, selected, Q())


def _haversine(place):
    """SQL for the haversine term of `great_circle_km` from the place: a service is within d km
    when it is at most sin²(d / 2R) (the database computes no arcsine)."""
    phi = math.radians(place.latitude)
    latitude, longitude = Radians(F("latitude")), Radians(F("longitude"))
    return Power(Sin((latitude - phi) / 2), 2) + math.cos(phi) * Cos(latitude) * Power(
        Sin((longitude - math.radians(place.longitude)) / 2), 2
    )


def _count_failing_one_group(query, facets):
    """Without words, the rows that fail exactly one group's selection are only counted, in that
    group's facets (disjunctive counts): counted by the database, grouped by their values."""
    for name in query.filters:
        columns = [facet.name for facet in FACETS if facet.group == name]
        failing = IndexEntry.objects.filter(_conditions(query), _selected(query, name)).exclude(
            _passes(name, query.filters[name])
        )
        if query.place:
            limit = math.sin(query.distance_km / (2 * EARTH_RADIUS)) ** 2
            failing = failing.alias(haversine=_haversine(query.place)).filter(
                Q(haversine__lte=limit) | Q(a_distance=True)
            )
        for *values, count in failing.values_list(*columns).annotate(count=Count("pk")):
            facets.add_failing(name, dict(zip(columns, map(_unbar, values), strict=True)), count)


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


def _distance(query, latitude, longitude):
    if query.place is None or latitude is None:
        return None
    km = great_circle_km(query.place.latitude, query.place.longitude, latitude, longitude)
    return km if km <= query.distance_km else None


def _score(query, row, today, hidden_before):
    """The sort score of a row (search.ranking): relevance × proximity × freshness, or only
    whether the service is hidden from the public when sorting by distance."""
    freshness = ranking.freshness(row["date_maj"], row["perime_le"], today, hidden_before)
    if not query.by_relevance:
        return ranking.HIDDEN if freshness == ranking.HIDDEN else 1.0
    score = row["relevance"] * freshness
    return score * ranking.proximity(row["distance"]) if query.place else score


def _candidates(query):
    """The rows the place and the words give (facet selections aside), with their distance
    and relevance, the least relevant left out (search.ranking.relevance_cutoff)."""
    columns = [
        "service_id", "identifiant", "latitude", "longitude", "a_distance", "date_maj",
        "perime_le", "contact_public", *FACET_NAMES, *(["tokens"] if query.concepts else []),
    ]  # fmt: skip
    rows = []
    # Without words, the selections narrow the rows in SQL (the others are only counted); with
    # words, every row the place and words give is needed for the best relevance.
    narrowed = Q() if query.concepts else _selected(query)
    for row in IndexEntry.objects.filter(_conditions(query), narrowed).values(*columns):
        row["distance"] = _distance(query, row["latitude"], row["longitude"])
        row["beyond"] = query.place is not None and row["distance"] is None
        if row["beyond"] and not row["a_distance"]:
            continue
        thematiques = _unbar(row["thematiques"])
        row["relevance"] = ranking.relevance(query.concepts, row.get("tokens", ""), thematiques)
        rows.append(row)
    if query.concepts and rows:
        cutoff = ranking.relevance_cutoff(max(row["relevance"] for row in rows))
        rows = [row for row in rows if row["relevance"] >= cutoff]
    for row in rows:
        for facet in FACET_NAMES:
            row[facet] = _unbar(row[facet])
    return rows


def search(query):
    today = timezone.localdate()
    hidden_before = ranking.hidden_since(today)
    matches = []
    facets = FacetCounter(query.filters)
    if not query.concepts:
        _count_failing_one_group(query, facets)
    for row in _candidates(query):
        if not facets.add({facet: row[facet] for facet in FACET_NAMES}):
            continue
        # Within the distance first, then remote services; by score, then nearer, then the
        # later péremption, then the identifiant (search.ranking).
        order = (
            row["beyond"], -_score(query, row, today, hidden_before), row["distance"] or 0.0,
            -row["perime_le"].toordinal(), row["identifiant"],
        )  # fmt: skip
        matches.append((order, row["service_id"], row["distance"], row["contact_public"]))
    matches.sort()
    page = matches[query.offset : query.offset + query.size]
    payloads = IndexPayload.objects.in_bulk([pk for _, pk, _, _ in page])
    items = [Item(pk, payloads[pk].payload, distance, public) for _, pk, distance, public in page]
    return Results(
        items=items,
        total=len(matches),
        page=query.page,
        size=query.size,
        facets=facets.facets(),
        backend=NAME,
        in_range=sum(not order[0] for order, *_ in matches) if query.place else None,
    )


def counts(queries):
    """`Results.in_range` (or `total` without a place) of each query: the rows a search reads,
    without its facet counts, order or page."""
    return [_count(query) for query in queries]


def _count(query):
    selections = [(GROUPS[name], selection) for name, selection in query.filters.items()]
    return sum(
        all(group.matches(row[group.name], selection) for group, selection in selections)
        for row in _candidates(query)
        if not row["beyond"]
    )


def clear():
    IndexEntry.objects.all().delete()
    IndexPayload.objects.all().delete()
    IndexOpening.objects.all().delete()
