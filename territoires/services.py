"""Lookups on the reference geography: by code, by postal code, by name, and point → commune."""

import functools
import math
from dataclasses import dataclass

from django.db.models import Q

from geopy.distance import EARTH_RADIUS
from shapely import STRtree
from shapely.geometry import Point, shape

from config.text import folded_words
from territoires import geocoding, places
from territoires.models import EPCI, AncienneCommune, CodePostal, Commune, Departement

FRANCE = "france"
# Contours are simplified (about 150 m) and coasts are ragged: a point this close (in degrees,
# about 5 km) to a département still counts as inside it.
BORDER_TOLERANCE_DEGREES = 0.05


class ZoneKind:
    COMMUNE = "commune"
    EPCI = "epci"
    DEPARTEMENT = "departement"
    FRANCE = "france"


@dataclass(frozen=True)
class Location:
    departement_code: str
    epci_code: str | None
    commune: Commune


def great_circle_km(lat1, lon1, lat2, lon2):
    """Haversine distance on geopy's mean Earth radius (what Elasticsearch's `arc` computes)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    half_dphi = (phi2 - phi1) / 2
    half_dlambda = math.radians(lon2 - lon1) / 2
    a = math.sin(half_dphi) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(half_dlambda) ** 2
    return 2 * EARTH_RADIUS * math.asin(math.sqrt(a))


@functools.lru_cache(maxsize=4096)
def get_commune(code_insee):
    """The commune (kept in memory: the reference data change only with `load_territoires`,
    which clears this cache); None for an unknown code. Treat it as read-only."""
    return Commune.objects.filter(pk=code_insee).first()


def _served_by(postal_codes):
    """Communes served by these postal codes. Queried from CodePostal's side: the reverse
    lookup is unknown to an app registry that hides `territoires` (the browser tests keep the
    geography out of their flush that way)."""
    return Commune.objects.filter(pk__in=postal_codes.values("commune_id"))


# A postal code of Paris, Lyon or Marseille serves one arrondissement and its city: the
# arrondissement is the place meant (its point, its code, and its city's zones through
# `commune_parent`). « ARM » sorts before « COM ».
BY_POSTAL_CODE_ORDER = ("type", "-population", "code_insee")


def communes_for_postal_code(code):
    """Communes served by a postal code: its arrondissement first, then the most populous."""
    served = _served_by(CodePostal.objects.filter(code=code))
    return served.order_by(*BY_POSTAL_CODE_ORDER)


@functools.cache
def _postal_codes_by_commune():
    index = {}
    for code_insee, code in CodePostal.objects.values_list("commune_id", "code"):
        index.setdefault(code_insee, set()).add(code)
    return index


def postal_codes_of(code_insee):
    """The postal codes serving a commune; empty for an unknown commune (in memory)."""
    return _postal_codes_by_commune().get(code_insee, set())


def commune_exists(code_insee):
    return code_insee in _zone_codes()[ZoneKind.COMMUNE]


def search_communes(text, limit=10):
    """Autocomplete: communes with a word of their name starting with `text` (accents, case,
    hyphens and apostrophes ignored), or whose postal code starts with it; most populous first."""
    text = text.strip()
    order = ("-population", "code_insee")
    if text.isdigit():
        queryset = _served_by(CodePostal.objects.filter(code__startswith=text))
        order = BY_POSTAL_CODE_ORDER if len(text) == 5 else order
    else:
        queryset = Commune.objects.filter(_name_starts(folded_words(text)))
    return list(queryset.prefetch_related("codes_postaux").order_by(*order)[:limit])


def _name_starts(folded):
    """Names with a word starting with these folded words."""
    return Q(nom_normalise__startswith=folded) | Q(nom_normalise__contains=" " + folded)


def former_names_starting(text, limit=10):
    """Communes déléguées and associées with a word of their name starting with `text`, with
    their current commune, most populous commune first."""
    rows = AncienneCommune.objects.filter(_name_starts(folded_words(text))).exclude(nom="")
    rows = rows.select_related("commune").prefetch_related("commune__codes_postaux")
    return list(rows.order_by("-commune__population", "nom")[:limit])


def former_commune(code_insee):
    """The current commune a former or delegated code now belongs to, or None."""
    row = AncienneCommune.objects.filter(code_insee=code_insee).order_by("nom").first()
    return get_commune(row.commune_id) if row else None


def current_code(code_insee):
    """The code itself for a current commune, the current commune's for a former code, or None."""
    if commune_exists(code_insee):
        return code_insee
    commune = former_commune(code_insee)
    return commune.code_insee if commune else None


def current_zone_code(code):
    """A zone code as stored: a former commune's code becomes its current commune's (`74093`
    → `74010`), any other code is kept as given."""
    if zone_kind(code) is None and (current := current_code(code)):
        return current
    return code


def resolve_commune(text):
    """The commune a person means by « 13780 », « Cuges », « Cuges-les-Pins (13780) » or
    « St Etienne », read by the one place parser (`territoires.places`); None when nothing, or
    more than one commune, matches."""
    try:
        return places.parse(text).commune
    except places.PlaceError:
        return None


@functools.cache
def _zone_codes():
    return {
        ZoneKind.COMMUNE: frozenset(Commune.objects.values_list("code_insee", flat=True)),
        ZoneKind.EPCI: frozenset(EPCI.objects.values_list("code", flat=True)),
        ZoneKind.DEPARTEMENT: frozenset(Departement.objects.values_list("code", flat=True)),
    }


def zone_kind(code):
    """What a zone d'éligibilité code designates, or None when it is unknown."""
    if code == FRANCE:
        return ZoneKind.FRANCE
    for kind, codes in _zone_codes().items():
        if code in codes:
            return kind
    return None


@dataclass(frozen=True)
class Zone:
    """A zone d'éligibilité as the admin's picker shows it (`kind` None: an unknown code)."""

    code: str
    kind: str | None
    nom: str

    @property
    def libelle(self):
        """« Bouches-du-Rhône (département 13) », « France entière »."""
        if self.kind == ZoneKind.FRANCE:
            return "France entière"
        if self.kind is None:
            return f"{self.code} (code inconnu)"
        kind = {ZoneKind.COMMUNE: "commune", ZoneKind.EPCI: "EPCI"}.get(self.kind, "département")
        return f"{self.nom} ({kind} {self.code})"

    def as_json(self):
        return {"code": self.code, "type": self.kind, "nom": self.nom, "libelle": self.libelle}


@functools.cache
def _named_zones():
    """(folded name, Zone) of every département and EPCI (about 1,400: kept in memory)."""
    rows = [
        (ZoneKind.DEPARTEMENT, Departement.objects.values_list("code", "nom")),
        (ZoneKind.EPCI, EPCI.objects.values_list("code", "nom")),
    ]
    return [
        (folded_words(nom), Zone(code, kind, nom)) for kind, values in rows for code, nom in values
    ]


def zone(code):
    """The Zone of a code d'éligibilité (a former commune's code gives its commune), or None."""
    if code == FRANCE:
        return Zone(FRANCE, ZoneKind.FRANCE, "France")
    named = {z.code: z for _, z in _named_zones()}
    if code in named:
        return named[code]
    commune = get_commune(current_code(code) or "")
    return Zone(commune.code_insee, ZoneKind.COMMUNE, commune.nom) if commune else None


def search_zones(text, limit=10):
    """The picker's suggestions for `text` (a name's beginning or a code): France, then
    départements, EPCI and communes, most populous communes first."""
    folded = folded_words(text)
    if not folded:
        return []
    found = [zone(FRANCE)] if FRANCE.startswith(folded) else []
    found += [z for z in [zone(text.strip().upper())] if z]
    found += [
        z for name, z in _named_zones()
        if (name.startswith(folded) or f" {folded}" in name) and z not in found
    ]  # fmt: skip
    communes = [Zone(c.code_insee, ZoneKind.COMMUNE, c.nom) for c in search_communes(text, limit)]
    return list(dict.fromkeys(found + communes))[:limit]


class _ShapeIndex:
    def __init__(self, rows):
        self.codes = [code for code, _ in rows]
        self.tree = STRtree([shape(geometry) for _, geometry in rows])

    def locate(self, point, tolerance=0.0):
        hits = self.tree.query(point, predicate="intersects")
        if len(hits):
            return self.codes[hits[0]]
        if tolerance:
            nearest = self.tree.query_nearest(point, max_distance=tolerance)
            if len(nearest):
                return self.codes[nearest[0]]
        return None


@functools.cache
def _departement_index():
    return _ShapeIndex(Departement.objects.values_list("code", "contour"))


@functools.cache
def _epci_index():
    return _ShapeIndex(EPCI.objects.values_list("code", "contour"))


@functools.cache
def _town_halls_by_departement():
    """{département code: [(INSEE code, latitude, longitude)]} of its communes' town halls."""
    index = {}
    communes = Commune.objects.filter(type=Commune.Type.COMMUNE).order_by("code_insee")
    for code, departement, latitude, longitude in communes.values_list(
        "code_insee", "departement_id", "latitude", "longitude"
    ):
        index.setdefault(departement, []).append((code, latitude, longitude))
    return index


def departement_at(latitude, longitude):
    """Code of the département containing the point, or None outside France."""
    point = Point(longitude, latitude)
    return _departement_index().locate(point, tolerance=BORDER_TOLERANCE_DEGREES)


def is_in_france(latitude, longitude):
    return departement_at(latitude, longitude) is not None


def locate(latitude, longitude):
    """The point's département and EPCI (contours) and the nearest commune of that département
    (town-hall points). None outside France."""
    departement_code = departement_at(latitude, longitude)
    if departement_code is None:
        return None
    _, code_insee = min(
        (great_circle_km(latitude, longitude, lat, lon), code)
        for code, lat, lon in _town_halls_by_departement()[departement_code]
    )
    commune = get_commune(code_insee)
    epci_code = _epci_index().locate(Point(longitude, latitude)) or commune.epci_id
    return Location(departement_code=departement_code, epci_code=epci_code, commune=commune)


def preload():
    """Builds the in-memory indexes now rather than on first use."""
    _zone_codes()
    _postal_codes_by_commune()
    _departement_index()
    _epci_index()
    _town_halls_by_departement()
    places.preload()


def clear_caches():
    """Forget the in-memory indexes; call after the reference data changed."""
    geocoding.clear_caches()
    places.clear_caches()
    _zone_codes.cache_clear()
    _named_zones.cache_clear()
    _postal_codes_by_commune.cache_clear()
    _departement_index.cache_clear()
    _epci_index.cache_clear()
    _town_halls_by_departement.cache_clear()
    get_commune.cache_clear()
