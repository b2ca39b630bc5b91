"""Time zones of the French territories: a structure's appointments are typed and read in the
zone of its département, stored as instants (UTC), and said with their zone outside Paris time.

Sources: IANA time zone database (`zoneinfo`, with `tzdata`) for the zones; the départements and
collectivités of the COG 2026 for the codes (971–976 DROM; 975, 977, 978, 986–988 COM).
"""

import functools
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.formats import date_format

from territoires import services as territoires

PARIS = "Europe/Paris"
# {département or collectivité code: (IANA zone, what people call its time)}; every other
# département is on Paris time.
OUTRE_MER = {
    "971": ("America/Guadeloupe", "heure de la Guadeloupe"),
    "972": ("America/Martinique", "heure de la Martinique"),
    "973": ("America/Cayenne", "heure de la Guyane"),
    "974": ("Indian/Reunion", "heure de La Réunion"),
    "975": ("America/Miquelon", "heure de Saint-Pierre-et-Miquelon"),
    "976": ("Indian/Mayotte", "heure de Mayotte"),
    "977": ("America/St_Barthelemy", "heure de Saint-Barthélemy"),
    "978": ("America/Marigot", "heure de Saint-Martin"),
    "986": ("Pacific/Wallis", "heure de Wallis-et-Futuna"),
    "987": ("Pacific/Tahiti", "heure de Tahiti"),
    "988": ("Pacific/Noumea", "heure de Nouvelle-Calédonie"),
}
LABELS = dict(OUTRE_MER.values())
# Every zone a structure can be in: Paris first.
ZONE_NAMES = (PARIS, *(name for name, _ in OUTRE_MER.values()))
DATE_TIME_FORMAT = "l j F Y à H\\hi"


@functools.cache
def zone(name):
    return ZoneInfo(name)


def of_departement(code):
    """The time zone of a département (Paris for an unknown or empty code)."""
    name, _ = OUTRE_MER.get(code or "", (PARIS, ""))
    return zone(name)


def departement_of(code_insee="", code_postal=""):
    """The département of a commune (current or former code), else of a postal code's commune
    (`97200` → 972); "" when neither says."""
    commune = territoires.get_commune(territoires.current_code(code_insee or "") or "")
    if commune is None and code_postal:
        commune = territoires.communes_for_postal_code(code_postal).first()
    return commune.departement_id if commune else ""


@functools.lru_cache(maxsize=65536)
def of_place(code_insee="", code_postal=""):
    """The time zone of a commune or postal code: its département's (`departement_of`),
    remembered per place — a département's zone does not change, and search documents ask it
    for each of 150,000 services."""
    return of_departement(departement_of(code_insee, code_postal))


def label(time_zone):
    """« heure de la Martinique », or "" for Paris time (the portal's default)."""
    return LABELS.get(str(time_zone), "")


def local_text(instant, time_zone):
    """An instant as read where it happens: « mercredi 3 décembre 2026 à 10h00 (heure de la
    Martinique) », without the zone for Paris time."""
    text = date_format(timezone.localtime(instant, time_zone), DATE_TIME_FORMAT)
    return f"{text} ({label(time_zone)})" if label(time_zone) else text
