import datetime

from django import template
from django.utils import timezone

from catalogue import fraicheur

register = template.Library()


def _date(value):
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


@register.filter
def mis_a_jour(date_maj):
    """A date (or its ISO text, as in search results) → « Mis à jour il y a 12 jours »."""
    return f"Mis à jour {fraicheur.anciennete(_date(date_maj), timezone.localdate())}"


@register.filter
def non_confirme_depuis_un_an(date_maj):
    return timezone.localdate() >= fraicheur.masque_le(_date(date_maj))
