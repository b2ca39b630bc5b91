"""The search facets, declared once.

A facet is a list of referential values a service has (its thématiques, its publics…): stored in
its search document, an Elasticsearch keyword field and an IndexEntry column, counted in
`Results.facets`. A *group* is a facet people choose values of: one form and API parameter, one
box of checkboxes on the page. Values ticked in one group are « l'un de » (any of); groups combine
with « et ». Counts are disjunctive: a group's counts ignore its own selection, so ticking
« Mobilité » leaves the other categories with their counts (the other groups and the place and
words still apply). `categories` is counted, not chosen: a category is chosen through the
`thematiques` parameter, where it stands for all its thématiques.

Everything else derives from `FACETS`: the form fields (search/forms.py), `SearchQuery.filters`,
the documents, the mapping and filters of both backends, the page's groups and the OpenAPI
document.

Filters without values to count are not facets: the place, the words, and the opening time
(« ouvert maintenant », « ouvert le … à … »: `SearchQuery.open_at`, the document's `fuseau` and
`ouverture`, `IndexOpening`), which narrow the services before any count.
"""

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from catalogue.referentiels import (
    REFERENTIELS,
    TOUS_PUBLICS,
    categorie_of,
    modes_accueil_effectifs,
    thematiques_of,
)


def effective_modes_accueil(service):
    """A service that gives no mode d'accueil is met on site."""
    return modes_accueil_effectifs(service.modes_accueil)


def _one(value):
    return [value] if value else []


def _itself(slug):
    return [slug]


def _expand_category(slug):
    """A category slug (`mobilite`) stands for all its thématiques; a thématique for itself."""
    return thematiques_of(slug) if slug in _CATEGORIES else [slug]


_CATEGORIES = {value for value, _ in REFERENTIELS["categories"]}


@dataclass(frozen=True)
class Facet:
    # Document field, IndexEntry column, Elasticsearch keyword and key of `Results.facets`.
    name: str
    # The REFERENTIELS list its values and labels come from.
    referentiel: str
    # The service's values (sorted list of slugs) for its search document.
    values: Callable[..., list[str]]
    # The group whose selection filters this facet and whose counts ignore it: its own name for
    # a group, the choosing group for a facet only counted (`categories` → `thematiques`).
    group: str
    # Page title and OpenAPI description of the group's parameter ("" when only counted).
    title: str = ""
    help: str = ""
    # Referentials whose slugs the parameter accepts, and what each submitted slug selects.
    accepts: tuple[str, ...] = ()
    expand: Callable[[str], Iterable[str]] = _itself
    # Values every selection also keeps, and whether a service without values is kept.
    always_kept: frozenset[str] = frozenset()
    keeps_empty: bool = False
    # On the page, this facet's values are listed under the value of that facet they belong to
    # (`parent` names the facet; `parent_of` maps a value to it).
    parent: str = ""
    parent_of: Callable[[str], str] | None = None

    @property
    def is_group(self):
        return self.group == self.name

    def choices(self):
        """(slug, label) the parameter accepts."""
        return [choice for referentiel in self.accepts for choice in REFERENTIELS[referentiel]]

    def selection(self, slugs):
        """The values filtered for the submitted slugs (categories expanded)."""
        return frozenset(value for slug in slugs for value in self.expand(slug))

    def accepted(self, selection):
        """The values a service needs one of (sorted) to pass this selection."""
        return sorted(selection | self.always_kept)


FACETS = (
    Facet(
        "thematiques",
        "thematiques",
        lambda service: sorted(service.thematiques),
        group="thematiques",
        title="Thématiques",
        help="Slugs data·inclusion séparés par des virgules (ou paramètre répété), l'un ou "
        "l'autre ; une catégorie (`mobilite`) vaut toutes ses thématiques.",
        accepts=("categories", "thematiques"),
        expand=_expand_category,
        parent="categories",
        parent_of=categorie_of,
    ),
    Facet(
        "categories",
        "categories",
        lambda service: sorted({categorie_of(slug) for slug in service.thematiques}),
        group="thematiques",
    ),
    Facet(
        "publics",
        "publics",
        lambda service: sorted(service.publics),
        group="publics",
        title="Publics",
        help="Slugs, l'un ou l'autre ; retient aussi les services sans public ou « tous publics ».",
        accepts=("publics",),
        always_kept=frozenset({TOUS_PUBLICS}),
        keeps_empty=True,
    ),
    Facet(
        "modes_accueil",
        "modes_accueil",
        lambda service: sorted(effective_modes_accueil(service)),
        group="modes_accueil",
        title="Modes d'accueil",
        help="Slugs, l'un ou l'autre ; sans mode renseigné, un service est « en présentiel ».",
        accepts=("modes_accueil",),
    ),
    Facet(
        "types",
        "types",
        lambda service: _one(service.type),
        group="types",
        title="Types de service",
        help="Slugs de types de service, l'un ou l'autre.",
        accepts=("types",),
    ),
    Facet(
        "frais",
        "frais",
        lambda service: _one(service.frais),
        group="frais",
        title="Frais",
        help="Slugs de frais, l'un ou l'autre.",
        accepts=("frais",),
    ),
)
FACET_NAMES = tuple(facet.name for facet in FACETS)
GROUPS = {facet.name: facet for facet in FACETS if facet.is_group}
BY_NAME = {facet.name: facet for facet in FACETS}


class FacetCounter:
    """Disjunctive counts over candidate services, those that match everything but the facet
    selections: a service passing every group is a result and counts in every facet; one failing
    a single group counts only in that group's facets (its counts ignore its own selection)."""

    def __init__(self):
        self.counts = {name: Counter() for name in FACET_NAMES}

    def add(self, values, count=1, failing=None):
        """Counts `count` candidates with these values ({facet: [values]}): in every facet when
        they pass every selection, only in the facets of group `failing` when they fail that
        group's selection only."""
        for facet in FACETS:
            if failing is None or facet.group == failing:
                self.counts[facet.name].update(dict.fromkeys(values[facet.name], count))

    def facets(self):
        """{facet: {value: count}}, the shape of `Results.facets`."""
        return {name: dict(counts) for name, counts in self.counts.items()}
