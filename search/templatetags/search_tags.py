from django import template
from django.utils.formats import number_format

from catalogue import referentiels

register = template.Library()


@register.filter
def label(slug, referentiel):
    """`{{ "mobilite"|label:"categories" }}` → « Mobilité »."""
    return referentiels.label(referentiel, slug)


@register.filter
def km(distance):
    """3.4178 → « 3,4 km »; under one kilometre in metres."""
    if distance < 1:
        return f"{round(distance * 1000, -1):.0f} m"
    return f"{number_format(round(distance, 1), 1)} km"
