"""The search contract shared by both backends: one validated query in, one result set out."""

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from search import ranking

DEFAULT_DISTANCE_KM = 20
DEFAULT_SIZE = 20
MAX_SIZE = 100
# Pages beyond it are refused: page × size stays within Elasticsearch's result window.
MAX_PAGE = 2_000


@dataclass(frozen=True)
class Place:
    """Where the person lives: a point and the zone codes that cover it (commune, EPCI,
    département, `france`)."""

    latitude: float
    longitude: float
    zone_codes: frozenset[str]
    label: str = ""


@dataclass(frozen=True)
class SearchQuery:
    place: Place | None = None
    distance_km: float = DEFAULT_DISTANCE_KM
    # {facet group: the values ticked}, groups without a choice left out (search/facets.py):
    # any of within a group, AND between groups; categories already expanded into thématiques.
    filters: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # The words typed, as concepts (search.ranking); `sort` is ranking.PERTINENCE or DISTANCE.
    concepts: tuple = ()
    sort: str = ""
    # « Ouvert à » (catalogue.horaires): ((minute of the week, time zones or None), …); a service
    # is kept when one of its weekly open intervals holds the minute given for its time zone
    # (None: any zone — « ouvert le lundi à 10:00 » is each service's local time). () : no filter.
    open_at: tuple[tuple[int, tuple[str, ...] | None], ...] = ()
    # Anonymous searches leave out services not confirmed for 12 months (catalogue.fraicheur).
    public: bool = False
    page: int = 1
    size: int = DEFAULT_SIZE

    @property
    def by_relevance(self):
        """Relevance when asked, or by default when words are given (search.ranking)."""
        return self.sort == ranking.PERTINENCE or (not self.sort and bool(self.concepts))

    @property
    def offset(self):
        return (self.page - 1) * self.size

    def alike_but_distance(self, other) -> bool:
        """Whether the other query asks the same but within another distance."""
        return dataclasses.replace(self, distance_km=other.distance_km) == other

    def selection(self, group):
        """The values ticked in this facet group (empty: no filter)."""
        return self.filters.get(group, frozenset())


@dataclass
class Item:
    pk: int
    service: dict
    distance: float | None
    contact_public: bool = False


@dataclass
class Results:
    items: list[Item]
    total: int
    page: int
    size: int
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    backend: str = ""
    # Services within the distance (the others are met remotely); None without a place.
    in_range: int | None = None
    # The counts of the queries the search was also asked to count (`also_count`), in order,
    # None for those it could not count at no cost of its own; [] for none: search.services.
    counted: list[int | None] = field(default_factory=list)

    @property
    def pages(self):
        return math.ceil(self.total / self.size) if self.total else 0
