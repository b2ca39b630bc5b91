"""Which coordinations SPIE cover a commune, and which communes a user coordinates: the one
place that answers, from sets of département and EPCI codes.

A commune without EPCI (L'Île-d'Yeu, Ouessant, Île-de-Bréhat, Île-de-Sein) has an empty set of
EPCI codes, so it matches no EPCI coordination — never `epci_id = None`, which would match every
département coordination of France. An arrondissement municipal (Marseille, Lyon, Paris)
carries its city's département and EPCI in the reference data, and so is covered by them.
"""

from dataclasses import dataclass

from django.db.models import Q

from accounts.models import Coordination
from territoires.models import Commune
from territoires.services import get_commune


@dataclass(frozen=True)
class Territory:
    """Sets of codes: `departements` (« 13 », « 2A ») and `epcis` (SIREN)."""

    departements: frozenset[str] = frozenset()
    epcis: frozenset[str] = frozenset()

    def coordinations(self):
        """The coordinations whose territory is one of these (none for an empty territory)."""
        return Coordination.objects.filter(
            Q(departement_id__in=self.departements) | Q(epci_id__in=self.epcis)
        )

    def communes_filter(self, commune_field="commune"):
        """A Q matching rows whose `commune_field` (`""`: communes themselves) lies here."""
        prefix = f"{commune_field}__" if commune_field else ""
        return Q(**{f"{prefix}departement_id__in": self.departements}) | Q(
            **{f"{prefix}epci_id__in": self.epcis}
        )


def of_commune(commune):
    """The territories a commune lies in: its département, its EPCI if it has one."""
    return Territory(frozenset({commune.departement_id}), frozenset({commune.epci_id}) - {None})


def of_user(user):
    """The territories `user` coordinates; empty for a user outside every coordination."""
    if not user.is_authenticated:
        return Territory()
    rows = Coordination.objects.filter(membres=user).values_list("departement_id", "epci_id")
    return Territory(frozenset(d for d, _ in rows if d), frozenset(e for _, e in rows if e))


def coordinations_covering(commune):
    return of_commune(commune).coordinations()


def coordination_emails(commune):
    """The e-mail addresses of the members of the coordinations covering `commune`."""
    members = coordinations_covering(commune).values_list("membres__email", flat=True)
    return set(members) - {None}


def coordinated_territories(user):
    """(département codes, EPCI codes) `user` coordinates, as sets."""
    territory = of_user(user)
    return set(territory.departements), set(territory.epcis)


def coordinated_communes_filter(user, commune_field="commune"):
    """A Q matching rows whose `commune_field` lies in a territory `user` coordinates; matches
    nothing for a user outside every coordination."""
    return of_user(user).communes_filter(commune_field)


def coordinated_codes(user):
    """INSEE codes of the communes of the territories `user` coordinates (a subquery)."""
    return Commune.objects.filter(coordinated_communes_filter(user, "")).values("code_insee")


def of_code_insee(code_insee):
    """The territories of the commune with this INSEE code; empty for an unknown code."""
    commune = get_commune(code_insee) if code_insee else None
    return of_commune(commune) if commune else Territory()


def covers(user, commune):
    """Does `user` coordinate the territory where `commune` lies?"""
    mine, hers = of_user(user), of_commune(commune)
    return bool(mine.departements & hers.departements or mine.epcis & hers.epcis)
