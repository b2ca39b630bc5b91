"""Opening hours: the OpenStreetMap `opening_hours` strings of structures and services (what
data·inclusion exports as `horaires_accueil`), checked with the parser `opening-hours-py`
(https://github.com/remi-dupre/opening-hours-rs), reduced to the open intervals of a normal
week for « ouvert maintenant » / « ouvert le … à … », and read aloud in French for the pages.

A normal week is what the parser says of the week of Monday 8 January 2024, given no country:
public holidays (`PH`) never apply, and dated rules (`Jul-Aug off`, `2025 …`, `week 1-20`) are
read as in that week. Syntax: https://wiki.openstreetmap.org/wiki/Key:opening_hours/specification
"""

import functools
import re
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError

from opening_hours import OpeningHours, ParserError, State

from territoires import fuseaux

MINUTES_PER_DAY = 24 * 60
MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY
REFERENCE_MONDAY = datetime(2024, 1, 8)
REFERENCE_END = REFERENCE_MONDAY + timedelta(days=7)
EXAMPLE = "Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00"
# Days in the order of the week (Monday 0): OSM code, French name.
WEEK = (("Mo", "lundi"), ("Tu", "mardi"), ("We", "mercredi"), ("Th", "jeudi"),
        ("Fr", "vendredi"), ("Sa", "samedi"), ("Su", "dimanche"))  # fmt: skip
DAYS = {**dict(WEEK), "PH": "jours fériés"}
_DAY = re.compile(r"\b(Mo|Tu|We|Th|Fr|Sa|Su|PH)\b")
_TIME = re.compile(r"(\d{2}):(\d{2})")
_POSITION = re.compile(r"--> \d+:(\d+)")
# Usual mistakes, and what to write instead.
HINTS = (
    (re.compile(r"\b(lun|mar|mer|jeu|ven|sam|dim)", re.IGNORECASE),
     "Les jours s'écrivent en abrégé anglais : Mo, Tu, We, Th, Fr, Sa, Su."),
    (re.compile(r"\d\s*h|\b\d:\d\d|\d{2}:\d\b|(?<![:\d])\d{1,2}-\d{1,2}(?![:\d])"),
     "Les heures s'écrivent sur deux chiffres avec deux-points : 09:00-12:00."),
    (re.compile(r";\s*$"), "Pas de point-virgule à la fin."),
)  # fmt: skip


def problem(opening_hours: str) -> str:
    """Empty when the text is valid OSM `opening_hours`, else French sentences: where it stops
    being readable (character position, from 1), the usual fix, an example."""
    try:
        OpeningHours(opening_hours)
    except ParserError as error:
        match = _POSITION.search(str(error))
        column = int(match.group(1)) if match else 1
        rest = opening_hours[column - 1 :].strip()
        where = f"à partir de « {rest} »" if rest else "à la fin du texte"
        sentences = [
            f"Horaires illisibles au format OpenStreetMap {where} (caractère {column}).",
            *(hint for pattern, hint in HINTS if pattern.search(opening_hours)),
            f"Exemple : « {EXAMPLE} ».",
        ]
        return " ".join(sentences)
    return ""


def validate_horaires(value: str):
    """Validator of the `horaires_accueil` fields: ValidationError (code `horaires`) with the
    message of `problem`."""
    if message := problem(value):
        raise ValidationError(message, code="horaires")


def _minute(moment: datetime) -> int:
    return int((moment - REFERENCE_MONDAY).total_seconds()) // 60


def _within_days(start: int, end: int) -> list[tuple[int, int]]:
    """[start, end) cut at midnights."""
    cuts = range(start - start % MINUTES_PER_DAY + MINUTES_PER_DAY, end, MINUTES_PER_DAY)
    bounds = [start, *cuts, end]
    return list(zip(bounds, bounds[1:], strict=False))


@functools.lru_cache(maxsize=4096)
def weekly_intervals(opening_hours: str) -> tuple[tuple[int, int], ...]:
    """The open intervals of a normal week: ((start, end), …) in minutes of the week (0 = Monday
    00:00, local time; end excluded), sorted, each within one day: a range over midnight is cut
    (`Sa 22:00-02:00` → Saturday 22:00–24:00 and Sunday 00:00–02:00; Sunday's spills onto
    Monday morning). Only « open » without a comment counts: `off`, `unknown` and what a comment
    qualifies (`"sur rendez-vous"`, `Mo 14:00-17:00 "sauf vacances"`) are not « ouvert
    maintenant » for a person who would walk there. () for an empty or invalid text."""
    try:
        parsed = OpeningHours(opening_hours)
    except ParserError:
        return ()
    intervals = []
    states = parsed.intervals(REFERENCE_MONDAY, REFERENCE_END)
    for start, end, state, comment in states:
        if state == State.OPEN and not comment:
            end = min(end or REFERENCE_END, REFERENCE_END)
            intervals += _within_days(_minute(start), _minute(end))
    return tuple(sorted(intervals))


def minute_of_week(moment: datetime) -> int:
    """0 (Monday 00:00) to 10,079 (Sunday 23:59), of a wall-clock time."""
    return moment.weekday() * MINUTES_PER_DAY + moment.hour * 60 + moment.minute


def local_minutes(instant: datetime) -> dict[int, tuple[str, ...]]:
    """{minute of the week: the time zones where it is that minute} at this instant, over the
    zones of the French territories (territoires.fuseaux)."""
    minutes = {}
    for name in fuseaux.ZONE_NAMES:
        moment = instant.astimezone(fuseaux.zone(name))
        minutes.setdefault(minute_of_week(moment), []).append(name)
    return {minute: tuple(names) for minute, names in minutes.items()}


def is_open(opening_hours: str, time_zone: str, instant: datetime) -> bool:
    """Whether the hours (a normal week, as the search filters) say open at this instant where
    the place is (`time_zone`, an IANA name). Without hours: False."""
    minute = minute_of_week(instant.astimezone(fuseaux.zone(time_zone)))
    return any(start <= minute < end for start, end in weekly_intervals(opening_hours or ""))


def _rule_in_french(rule):
    rule = rule.strip()
    rule = re.sub(r"\b(Mo|Tu|We|Th|Fr|Sa|Su)-(Mo|Tu|We|Th|Fr|Sa|Su)\b", r"du \1 au \2", rule)
    rule = _DAY.sub(lambda m: DAYS[m.group(1)], rule)
    rule = re.sub(r"(\d{2}:\d{2})-(\d{2}:\d{2})", r"de \1 à \2", rule)
    rule = _TIME.sub(lambda m: f"{int(m.group(1))} h {m.group(2)}", rule)
    return rule.replace(" off", " : fermé").replace(",", ", ")


def humanize(opening_hours: str) -> list[str]:
    """'Mo-Fr 09:00-12:00; Sa 09:00-12:00' → ['du lundi au vendredi de 9 h 00 à 12 h 00', …]
    (a new list: the caller may change it)."""
    return list(_humanized(opening_hours))


@functools.lru_cache(maxsize=4096)
def _humanized(opening_hours: str) -> tuple[str, ...]:
    """`humanize`, remembered: each result card reads its hours on every search request."""
    return tuple(_rule_in_french(rule) for rule in opening_hours.split(";") if rule.strip())
