"""Dates and times said where they happen: a structure's time zone (territoires.fuseaux). Here
in `catalogue`, the home of structures (the browser tests hide the `territoires` app)."""

from django import template

from territoires import fuseaux

register = template.Library()


@register.filter
def heure_locale(instant, time_zone):
    """`{{ prescription.rdv_le|heure_locale:prescription.fuseau_horaire }}`: the instant in the
    zone where it happens, the zone said when it is not Paris time."""
    return fuseaux.local_text(instant, time_zone) if instant else ""
