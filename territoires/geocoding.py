"""Where an address is, with geopy's geocoder interface.

Online (`GEOCODER = "ban"`), an address search service with the BAN's API (GeoJSON features
with a `type`): the IGN Géoplateforme's (`GEOCODER_URL`, by default), the BAN's own or a
self-hosted addok — through geopy's `BANFrance`, at the full URL given;
offline — the default, and whenever BAN does not answer — the town-hall point of the commune
(`code_insee`, else the commune of the `code_postal`: its arrondissement, else its most populous
commune), from the reference data.
The precision found is kept: `adresse` or `commune`.
"""

import functools
import logging
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings

from geopy.exc import GeopyError
from geopy.geocoders import BANFrance
from geopy.geocoders.base import DEFAULT_SENTINEL, Geocoder
from geopy.location import Location

from territoires.models import CodePostal, Commune

logger = logging.getLogger(__name__)

ADRESSE = "adresse"
COMMUNE = "commune"
BAN_ADDRESS_TYPES = {"housenumber", "street", "locality"}


@dataclass(frozen=True)
class Position:
    latitude: float
    longitude: float
    precision: str
    # The commune the geocoder placed it in (BAN's `citycode`), when it says.
    code_insee: str = ""


@functools.cache
def _commune_points():
    return {
        code: (nom, lat, lon)
        for code, nom, lat, lon in Commune.objects.values_list(
            "code_insee", "nom", "latitude", "longitude"
        )
    }


@functools.cache
def _commune_by_postal_code():
    """{postal code: the commune it designates}: its arrondissement, else its most populous
    commune (the order of `territoires.services.communes_for_postal_code`)."""
    best = {}
    rows = CodePostal.objects.order_by(
        "code", "commune__type", "-commune__population", "commune_id"
    )
    for code, commune in rows.values_list("code", "commune_id"):
        best.setdefault(code, commune)
    return best


def clear_caches():
    _commune_points.cache_clear()
    _commune_by_postal_code.cache_clear()


class CommuneCentroid(Geocoder):
    """Offline geocoder: a query {"code_insee", "code_postal"} → the commune's town-hall point."""

    def geocode(self, query, *, exactly_one=True):
        code = query.get("code_insee") or _commune_by_postal_code().get(
            query.get("code_postal") or ""
        )
        point = _commune_points().get(code or "")
        if point is None:
            return None
        nom, latitude, longitude = point
        location = Location(nom, (latitude, longitude), {"code_insee": code, "type": COMMUNE})
        return location if exactly_one else [location]


@functools.cache
def _offline():
    """One instance: building a geopy geocoder loads the system's TLS certificates."""
    return CommuneCentroid()


def ban_precision(location):
    """`adresse` for a BAN answer at the house, street or place level, else `commune`."""
    kind = location.raw.get("properties", {}).get("type")
    return ADRESSE if kind in BAN_ADDRESS_TYPES else COMMUNE


class AddressSearch(BANFrance):
    """geopy's BAN geocoder at a full search URL, kept as given (scheme, host, path and query:
    https://data.geopf.fr/geocodage/search, https://api-adresse.data.gouv.fr/search/…)."""

    def __init__(self, url, timeout):
        address = urlsplit(url)
        super().__init__(domain=address.netloc, scheme=address.scheme, timeout=timeout)
        self.geocode_api = url

    def url_for(self, query, limit=1):
        """The search URL: the configured one, with `q` and `limit` added to its query."""
        address = urlsplit(self.geocode_api)
        params = [*parse_qsl(address.query), ("q", query), ("limit", limit)]
        return urlunsplit(address._replace(query=urlencode(params)))

    def geocode(self, query, *, exactly_one=True, timeout=DEFAULT_SENTINEL):
        callback = functools.partial(self._parse_json, exactly_one=exactly_one)
        return self._call_geocoder(self.url_for(query), callback, timeout=timeout)


def _ban(adresse, code_postal, commune):
    query = " ".join(part for part in (adresse, code_postal, commune) if part)
    try:
        geocoder = AddressSearch(settings.GEOCODER_URL, settings.GEOCODER_TIMEOUT)
        found = geocoder.geocode(query, exactly_one=True)
    except GeopyError as error:
        logger.warning("Géocodage en ligne impossible (%s) : position de la commune.", error)
        return None
    if found is None:
        return None
    citycode = found.raw.get("properties", {}).get("citycode", "")
    return Position(found.latitude, found.longitude, ban_precision(found), citycode)


def locate(adresse="", code_postal="", code_insee="", commune=""):
    """The best position we can give to an address, or None."""
    online = settings.GEOCODER == "ban" and adresse
    if online and (position := _ban(adresse, code_postal, commune)):
        return position
    found = _offline().geocode({"code_insee": code_insee, "code_postal": code_postal})
    if found is None:
        return None
    return Position(found.latitude, found.longitude, COMMUNE, found.raw["code_insee"])
