"""Reads OpenStreetMap `opening_hours` strings aloud in French, for public pages."""

import re

DAYS = {"Mo": "lundi", "Tu": "mardi", "We": "mercredi", "Th": "jeudi", "Fr": "vendredi",
        "Sa": "samedi", "Su": "dimanche", "PH": "jours fériés"}  # fmt: skip
_DAY = re.compile(r"\b(Mo|Tu|We|Th|Fr|Sa|Su|PH)\b")
_TIME = re.compile(r"(\d{2}):(\d{2})")


def _rule_in_french(rule):
    rule = rule.strip()
    rule = re.sub(r"\b(Mo|Tu|We|Th|Fr|Sa|Su)-(Mo|Tu|We|Th|Fr|Sa|Su)\b", r"du \1 au \2", rule)
    rule = _DAY.sub(lambda m: DAYS[m.group(1)], rule)
    rule = re.sub(r"(\d{2}:\d{2})-(\d{2}:\d{2})", r"de \1 à \2", rule)
    rule = _TIME.sub(lambda m: f"{int(m.group(1))} h {m.group(2)}", rule)
    return rule.replace(" off", " : fermé").replace(",", ", ")


def humanize(opening_hours: str) -> list[str]:
    """'Mo-Fr 09:00-12:00; Sa 09:00-12:00' → ['du lundi au vendredi de 9 h 00 à 12 h 00', …]."""
    return [_rule_in_french(rule) for rule in opening_hours.split(";") if rule.strip()]
