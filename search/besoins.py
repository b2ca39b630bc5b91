"""Unmet needs: searches that found no service within the distance, by EPCI and thématique.

Only the territory (EPCI, département), the thématiques asked and the day are kept — never the
words typed, the exact point or who searched. The coordination reads them as the « enrichissement
de l'offre » input of the commission SPIE."""

import datetime
import logging
from collections import Counter

from django.db import DatabaseError, transaction
from django.db.models import Q
from django.utils import timezone

from shapely.geometry import shape

from accounts.territories import coordinated_territories
from catalogue.referentiels import label
from search import suggestions
from search.models import BesoinNonCouvert
from territoires.models import EPCI

logger = logging.getLogger(__name__)


def record_if_unmet(query, results):
    """A first page with nothing within the distance. Recorded under the categories chosen, or
    those the words point to (search lexicon); words pointing to no thématique are a miss of
    the words, not a need of the territory, and are not recorded; nor is a search narrowed to
    an opening time (the offer may be there, closed at that hour)."""
    if query.place is None or query.open_at or not suggestions.nothing_in_range(query, results):
        return
    categories = suggestions.categories_meant(query)
    if query.concepts and not categories:
        return
    codes = query.place.zone_codes
    try:  # a statistic: never fails the search that answers the person
        with transaction.atomic():
            BesoinNonCouvert.objects.create(
                le=timezone.localdate(),
                epci=next((code for code in codes if len(code) == 9), ""),
                departement=next((code for code in codes if len(code) in {2, 3}), ""),
                categories=categories,
            )
    except DatabaseError as error:
        logger.warning("Besoin non couvert non enregistré (%s).", error)


def _coordinated(user, since):
    departements, epcis = coordinated_territories(user)
    territory = Q(departement__in=departements) | Q(epci__in=epcis)
    return BesoinNonCouvert.objects.filter(territory, le__gte=since)


def _counts(user, days):
    since = timezone.localdate() - datetime.timedelta(days=days)
    counts = Counter()
    for epci, categories in _coordinated(user, since).values_list("epci", "categories"):
        for categorie in categories or [""]:
            counts[epci, categorie] += 1
    return counts


def table(user, days=365):
    """[{epci, categorie, searches}] over the last year, most frequent first."""
    counts = _counts(user, days)
    names = dict(EPCI.objects.filter(pk__in={e for e, _ in counts}).values_list("code", "nom"))
    return [
        {
            "epci": names.get(epci, "EPCI inconnu"),
            "categorie": label("categories", categorie) if categorie else "Toutes thématiques",
            "recherches": count,
        }
        for (epci, categorie), count in counts.most_common()
    ]


def map_points(user, days=365):
    """One point per EPCI (its contour's centroid) with its number of unmet searches."""
    per_epci = Counter()
    for (epci, _), count in _counts(user, days).items():
        per_epci[epci] += count
    points = []
    for epci in EPCI.objects.filter(pk__in=per_epci):
        centre = shape(epci.contour).centroid
        points.append({"nom": epci.nom, "lat": round(centre.y, 4), "lon": round(centre.x, 4),
                       "recherches": per_epci[epci.code]})  # fmt: skip
    return points
