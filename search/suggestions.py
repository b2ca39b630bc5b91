"""Zero results that help (issue 15): when a search finds nothing within its distance, say why
and offer what would find something — the same words farther away (with counts), a spelling
the index knows (« Vouliez-vous dire … ? »), the thématiques the words point to."""

import dataclasses
from dataclasses import dataclass, field

from catalogue.referentiels import categorie_of, label
from search import vocabulary
from search.services import counts
from search.text import written_words

WIDER_DISTANCES_KM = (30, 50)
# Words that match no service of that kind within the distance, or no service at all.
WORDS, DISTANCE = "mots", "distance"
MAX_THEMATIQUES = 3


def nothing_in_range(query, results) -> bool:
    """No service within the distance on the first page (without a place: no service)."""
    if query.place is None:
        return results.total == 0
    return query.page == 1 and not results.in_range


def thematiques_meant(query) -> list[str]:
    """The thématiques the words point to (through the search lexicon), in a stable order."""
    return sorted({slug for concept in query.concepts for slug in concept.thematiques})


def categories_meant(query) -> list[str]:
    """The thématique categories a search is about: those chosen, else those its words point
    to; [] when neither (a word the lexicon does not know)."""
    slugs = query.selection("thematiques") or thematiques_meant(query)
    return sorted({categorie_of(slug) for slug in slugs})


@dataclass
class Help:
    reason: str  # WORDS: nothing matches the words here; DISTANCE: nothing of that kind here
    wider: list[dict] = field(default_factory=list)  # [{"distance": km, "total": n}]
    spelling: str | None = None  # the words as the index knows them
    thematiques: list[dict] = field(default_factory=list)  # [{"slug", "label"}]

    def as_json(self):
        return dataclasses.asdict(self)


def _spelling(text):
    known = vocabulary.current()
    words = [word for word, _ in written_words(text)]
    corrected = [known.suggestion(word) or word for word in words]
    return " ".join(corrected) if corrected != words else None


def counted_by_help(query) -> list:
    """The queries whose counts the help asks when nothing is found (`zero_result_help`): the
    same without the words, the same words farther. Given to the search (`also_count`) so that
    a backend counting them in the same wait spares the help a request."""
    without_words = [dataclasses.replace(query, concepts=())] if query.concepts else []
    return without_words + [dataclasses.replace(query, distance_km=km) for km in _wider(query)]


def _wider(query):
    return [km for km in WIDER_DISTANCES_KM if query.place and km > query.distance_km]


def zero_result_help(query, results, text="") -> Help | None:
    """None when something was found within the distance; else why, and what would help.
    `text` is the query's words as typed. Its counts (`counted_by_help`) come with the results
    (Elasticsearch, words) or cost one more call, only then (one or two requests)."""
    if not nothing_in_range(query, results):
        return None
    found = counts(counted_by_help(query), known=results.counted)
    words_matter = bool(query.concepts) and found[0] > 0
    help = Help(reason=WORDS if words_matter else DISTANCE)
    help.wider = [
        {"distance": km, "total": total}
        for km, total in zip(_wider(query), found[bool(query.concepts) :], strict=True)
        if total
    ]
    if query.concepts:
        help.spelling = _spelling(text)
    help.thematiques = [
        {"slug": slug, "label": label("thematiques", slug)}
        for slug in thematiques_meant(query)[:MAX_THEMATIQUES]
    ]
    return help
