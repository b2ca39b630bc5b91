"""The embedded backend: the IndexEntry table, filtered in SQL, distances and facets in Python.

It answers exactly like the Elasticsearch backend (the contract tests run on both) and is
always current: its entries are rewritten in the transaction of each catalogue change.
"""

import math
from functools import reduce
from operator import and_, or_

from django.db.models import Q
from django.utils import timezone

from catalogue import fraicheur
from search.facets import FACET_NAMES, FacetCounter
from search.models import IndexEntry, IndexPayload
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


def replace(service_ids, documents):
    """Rewrites the entries of these services: the documents given, and none for the others."""
    documents = list(documents)
    IndexEntry.objects.filter(service_id__in=service_ids).delete()
    IndexPayload.objects.filter(service_id__in=service_ids).delete()
    IndexEntry.objects.bulk_create([entry(document) for document in documents], batch_size=500)
    IndexPayload.objects.bulk_create(
        [IndexPayload(service_id=d["id"], payload=d["payload"]) for d in documents], batch_size=500
    )


def documents(service_ids):
    """{id: document} of the entries of these services: what Elasticsearch is fed from, so a
    document is built once, in the transaction of its change."""
    payloads = IndexPayload.objects.in_bulk(service_ids)
    entries = IndexEntry.objects.filter(service_id__in=service_ids)
    return {
        entry.service_id: _document(entry, payloads[entry.service_id].payload) for entry in entries
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
        "payload": payload,
    }


def _any_of(column, values):
    return reduce(or_, (Q(**{f"{column}__contains": f"|{value}|"}) for value in values))


def _conditions(query):
    """Everything but the facet selections, which `FacetCounter` applies to the rows."""
    conditions = [Q(tokens__contains=f" {token} ") for token in query.tokens]
    if query.public:
        conditions.append(
            Q(date_maj__gte=fraicheur.visible_publiquement_depuis(timezone.localdate()))
        )
    if query.place:
        conditions.append(Q(zones="") | _any_of("zones", query.place.zone_codes))
        conditions.append(_bounding_box(query.place, query.distance_km) | Q(a_distance=True))
    return reduce(and_, conditions, Q())


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


def search(query):
    columns = [
        "service_id", "identifiant", "latitude", "longitude", "a_distance", "perime_le",
        "contact_public", *FACET_NAMES,
    ]  # fmt: skip
    matches = []
    facets = FacetCounter(query.filters)
    for row in IndexEntry.objects.filter(_conditions(query)).values_list(*columns):
        pk, identifiant, latitude, longitude, remote, perime_le, public, *facet_columns = row
        distance = _distance(query, latitude, longitude)
        if query.place and distance is None and not remote:
            continue
        if not facets.add(dict(zip(FACET_NAMES, map(_unbar, facet_columns), strict=True))):
            continue
        # In range by distance, then remote; ties: the later péremption first, then the id.
        order = (distance is None, distance or 0.0, -perime_le.toordinal(), identifiant)
        matches.append((order, pk, distance, public))
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
    )


def clear():
    IndexEntry.objects.all().delete()
    IndexPayload.objects.all().delete()
