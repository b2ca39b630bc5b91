"""One reading of a place as people write it, for the search page, the API and the forms.

`parse(text)` understands « Strasbourg 67000 » and « 67000 Strasbourg », « St Etienne » /
« Ste Maxime » / « Saint-Étienne », names without their hyphens or apostrophes, an INSEE code
(`2A004`, `97411`, a former code such as `74093`), a postal code (an arrondissement's gives the
arrondissement), coordinates (« 43.2965, 5.3698 »), and a street address (geocoded by the
configured geocoder; offline, placed at its commune with a « position approximative »).
It answers an `Understood` place, or raises `PlaceError` with the candidates to choose from
when the text is ambiguous (homonyms: « Saint-Denis ») or only close to a name (« privat »).
"""

import dataclasses
import functools
import re
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from config.text import folded_words
from territoires import geocoding
from territoires import services as territoires
from territoires.models import AncienneCommune, Commune

# `interpretation`: how the text was read (the API's `lieu.interpretation`, a closed list).
CODE_INSEE = "code_insee"
ANCIEN_CODE_INSEE = "ancien_code_insee"
CODE_POSTAL = "code_postal"
NOM = "nom"
ANCIEN_NOM = "ancien_nom"
NOM_ET_CODE_POSTAL = "nom_et_code_postal"
ADRESSE = "adresse"
COORDONNEES = "coordonnees"
INTERPRETATIONS = {
    CODE_INSEE: "code INSEE",
    ANCIEN_CODE_INSEE: "ancien code INSEE",
    CODE_POSTAL: "code postal",
    NOM: "nom de la commune",
    ANCIEN_NOM: "ancien nom de commune",
    NOM_ET_CODE_POSTAL: "nom et code postal",
    ADRESSE: "adresse",
    COORDONNEES: "coordonnées",
}
# `precision`: where the point is (the API's `lieu.precision`).
PRECISION_ADRESSE = geocoding.ADRESSE
PRECISION_COMMUNE = geocoding.COMMUNE
PRECISION_POINT = "point"
PRECISIONS = (PRECISION_ADRESSE, PRECISION_COMMUNE, PRECISION_POINT)

MAX_CANDIDATES = 10
CODE = re.compile(r"(?<![\w.])(\d{5}|2[ab]\d{3})(?![\w.])", re.IGNORECASE)
POINT = re.compile(r"^\s*(-?\d{1,2}\.\d+)\s*[,;\s]\s*(-?\d{1,3}\.\d+)\s*$")
DEPARTEMENT_IN_PARENTHESES = re.compile(r"\(\s*(\d{2,3}|2[ab])\s*\)", re.IGNORECASE)
PARENTHESES = re.compile(r"\([^()]*\)")
# « St » / « Ste » as people abbreviate them (folded words).
ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
STREET_WORDS = frozenset(
    [
        "rue",
        "avenue",
        "av",
        "bd",
        "boulevard",
        "chemin",
        "che",
        "place",
        "pl",
        "allee",
        "impasse",
        "imp",
        "route",
        "rte",
        "quai",
        "cours",
        "square",
        "passage",
        "lotissement",
        "residence",
        "hameau",
        "lieu",
        "dit",
        "voie",
        "sentier",
        "faubourg",
    ]
)


@dataclass(frozen=True)
class Candidate:
    """A commune offered as a choice, or the commune understood; `ancien_nom` when it was
    named by a former or delegated name."""

    commune: Commune
    ancien_nom: str = ""

    @property
    def nom(self):
        """« Cran-Gevrier (Annecy) » for a former name, else the commune's name."""
        if self.ancien_nom and self.ancien_nom != self.commune.nom:
            return f"{self.ancien_nom} ({self.commune.nom})"
        return self.commune.nom

    @property
    def label(self):
        """With the département, to tell homonyms apart: « Privas (07) »."""
        return f"{self.nom} ({self.commune.departement_id})"

    def as_json(self):
        return {
            "code_insee": self.commune.code_insee,
            "nom": self.nom,
            "departement": self.commune.departement_id,
        }


@dataclass(frozen=True)
class Understood:
    """The place understood: its commune (zones), its point, how precise, how it was read."""

    candidate: Candidate
    latitude: float
    longitude: float
    precision: str
    interpretation: str
    code_postal: str = ""
    # Another reading of the same text (a 5-digit code is a postal code and an INSEE code).
    other_reading: Candidate | None = None

    @property
    def commune(self):
        return self.candidate.commune

    def get_interpretation_display(self):
        return INTERPRETATIONS[self.interpretation]

    @property
    def worth_saying(self):
        """Whether the page should say how it read the text: a code read as a postal code, an
        address (maybe approximate); a name is already said in the results' title."""
        return self.interpretation in (CODE_POSTAL, ADRESSE)

    def as_json(self):
        """The API's `lieu` object."""
        return {
            "code_insee": self.commune.code_insee,
            "nom": self.candidate.nom,
            "code_postal": self.code_postal or None,
            "departement": self.commune.departement_id,
            "latitude": self.latitude,
            "longitude": self.longitude,
            "precision": self.precision,
            "interpretation": self.interpretation,
        }


class PlaceError(ValueError):
    """Nothing, or more than one place, matches; `candidates` are the choices (maybe none)."""

    def __init__(self, message, candidates=()):
        super().__init__(message)
        self.message = message
        self.candidates = tuple(candidates)


def at_commune(candidate, interpretation, code_postal=""):
    """The candidate's commune, at its town hall."""
    commune = candidate.commune
    return Understood(
        candidate, commune.latitude, commune.longitude, PRECISION_COMMUNE, interpretation,
        code_postal,
    )  # fmt: skip


def of_commune_code(code):
    """An INSEE code, current or former (`74093` → Annecy, named « Cran-Gevrier (Annecy) »)."""
    code = code.strip().upper()
    if commune := territoires.get_commune(code):
        return at_commune(Candidate(commune), CODE_INSEE)
    former = _former_rows(code_insee=code)
    if former:
        return at_commune(former[0], ANCIEN_CODE_INSEE)
    return None


def of_postal_code(code):
    """A postal code: its arrondissement, else its most populous commune."""
    commune = territoires.communes_for_postal_code(code).first()
    return at_commune(Candidate(commune), CODE_POSTAL, code) if commune else None


def of_point(latitude, longitude):
    """Coordinates in France: the nearest commune of their département, the point kept."""
    location = territoires.locate(latitude, longitude)
    if location is None:
        return None
    return Understood(
        Candidate(location.commune), latitude, longitude, PRECISION_POINT, COORDONNEES
    )


def parse(text):
    """The place meant by `text`; raises PlaceError (with candidates) otherwise."""
    text = (text or "").strip()
    if match := POINT.match(text):
        found = of_point(float(match[1]), float(match[2]))
        if found is None:
            raise PlaceError(f"Le point « {text} » n'est pas en France.")
        return found
    departement = DEPARTEMENT_IN_PARENTHESES.search(text)
    text = DEPARTEMENT_IN_PARENTHESES.sub(" ", text)
    codes = list(CODE.finditer(text))
    # « Cran-Gevrier (Annecy) (74960) »: the code counts, the current name in brackets does not.
    words = _words(CODE.sub(" ", text))
    if len(codes) > 1:
        raise PlaceError("Indiquez un seul code postal ou code INSEE.")
    if codes:
        code = codes[0]
        parts = (text[: code.start()], text[code.end() :])
        return _with_code(code[1].upper(), parts, words)
    if not words:
        raise PlaceError("Indiquez une commune, un code postal ou une adresse.")
    return _by_name(words, departement[1].upper() if departement else None, text)


def _words(text):
    """Folded words, « St » and « Ste » spelt out, what is in brackets left out."""
    words = folded_words(PARENTHESES.sub(" ", text)).split()
    return [ABBREVIATIONS.get(word, word) for word in words]


def _key(words):
    """Names compared without spaces: hyphens and apostrophes become optional."""
    return "".join(words)


@functools.cache
def _names():
    """{name key: [(current code, former name or "")]} of every commune and former name, and
    its keys as a list (what the typo search scans)."""
    index = {}
    for code, nom in Commune.objects.values_list("code_insee", "nom"):
        index.setdefault(_key(_words(nom)), []).append((code, ""))
    for code, nom in AncienneCommune.objects.exclude(nom="").values_list("commune_id", "nom"):
        index.setdefault(_key(_words(nom)), []).append((code, nom))
    return index, list(index)


def preload():
    _names()


def clear_caches():
    _names.cache_clear()


def _candidates(pairs):
    """Candidates for (current code, former name or "") pairs: one per commune, named by its
    current name when it matched too, most populous first."""
    found = [
        Candidate(commune, ancien_nom)
        for code, ancien_nom in sorted(pairs, key=lambda pair: bool(pair[1]))
        if (commune := territoires.get_commune(code))
    ]
    found.sort(key=lambda c: (-c.commune.population, c.commune.code_insee))  # stable
    return _one_per_commune(found)


def _one_per_commune(candidates):
    kept, communes = [], set()
    for candidate in candidates:
        if candidate.commune.code_insee not in communes:
            communes.add(candidate.commune.code_insee)
            kept.append(candidate)
    return kept


def _former_rows(**filters):
    rows = AncienneCommune.objects.filter(**filters).order_by("nom")
    return [Candidate(territoires.get_commune(row.commune_id), row.nom) for row in rows]


def _exact(words):
    index, _ = _names()
    return _candidates(index.get(_key(words), []))


def _close(words):
    """Names one typo away (two for long names), and names with a word starting so."""
    key = _key(words)
    typos = 1 if len(key) < 9 else 2
    index, keys = _names()
    near = process.extract(
        key, keys, scorer=Levenshtein.distance, score_cutoff=typos, limit=MAX_CANDIDATES
    )
    pairs = [pair for name, _, _ in near for pair in index[name]]
    text = " ".join(words)
    pairs += [(c.code_insee, "") for c in territoires.search_communes(text, MAX_CANDIDATES)]
    pairs += [(f.commune_id, f.nom) for f in territoires.former_names_starting(text)]
    return _candidates(pairs)[:MAX_CANDIDATES]


def _one_of(candidates, text, departement=None):
    """The one candidate (in the département when given), or PlaceError with the choices."""
    if departement:
        candidates = [c for c in candidates if c.commune.departement_id == departement]
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise PlaceError(f"Aucune commune ne correspond à « {text} ».")
    raise PlaceError(f"Plusieurs communes correspondent à « {text} » : choisissez.", candidates)


def _by_name(words, departement, text):
    """A name, else a street address ending with its commune's name, else close names."""
    if exact := _exact(words):
        candidate = _one_of(exact, text.strip(), departement)
        return at_commune(candidate, ANCIEN_NOM if candidate.ancien_nom else NOM)
    if _looks_like_street(words):
        for start in range(1, len(words)):
            if exact := _exact(words[start:]):
                candidate = _one_of(exact, text.strip(), departement)
                return _address(" ".join(words[:start]), candidate, "")
    close = _close(words)
    # A name's beginning designates the one commune starting so (« Cuges »); a typo never
    # picks: « privat » is close to Privas and starts several Saint-Privat.
    starting = [c for c in close if _starts_with(c, words)]
    candidate = _one_of(starting if len(starting) == 1 else close, text.strip(), departement)
    return at_commune(candidate, ANCIEN_NOM if candidate.ancien_nom else NOM)


def _starts_with(candidate, words):
    name = folded_words(candidate.ancien_nom or candidate.commune.nom)
    prefix = " ".join(words)
    return name.startswith(prefix) or f" {prefix}" in name


def _looks_like_street(words):
    return any(word.isdigit() or word in STREET_WORDS for word in words)


def _served(code):
    """What a 5-character code may mean: the communes it serves as a postal code (its
    arrondissement first), and the place it is the INSEE code of (current or former), or None."""
    served = list(territoires.communes_for_postal_code(code)) if code.isdigit() else []
    by_insee = of_commune_code(code)
    return served, by_insee


def _with_code(code, parts, words):
    """« 13016 », « Strasbourg 67000 », « 67000 Strasbourg », « 12 rue X 13400 Aubagne »."""
    served, by_insee = _served(code)
    if not served and by_insee is None:
        raise PlaceError(
            f"Aucune commune n'a le code postal ou le code INSEE {code}.",
            (_exact(words) or _close(words))[:MAX_CANDIDATES] if words else (),
        )
    if not words:
        return _code_alone(code, served, by_insee)
    before, after = (_words(part) for part in parts)
    pool = [Candidate(c) for c in served] or [by_insee.candidate]
    if by_insee and served:
        pool.append(by_insee.candidate)
    name, street = (after, before) if after else (before, [])
    for start in range(len(name)):
        if candidate := _named_in(pool, name[start:]):
            street = street + name[:start]
            if street:
                return _address(" ".join(street), candidate, code if served else "")
            return at_commune(candidate, NOM_ET_CODE_POSTAL, code if served else "")
    if _looks_like_street(words):
        return _address(" ".join(words), pool[0], code if served else "")
    raise PlaceError(
        f"« {' '.join(name)} » n'est pas une commune du code {code} : choisissez.",
        _one_per_commune([*pool, *_exact(name)])[:MAX_CANDIDATES],
    )


def _code_alone(code, served, by_insee):
    """A code typed alone: a postal code first (its other reading as an INSEE code kept, to be
    said), else an INSEE code."""
    if not served:
        return by_insee
    understood = at_commune(Candidate(served[0]), CODE_POSTAL, code)
    insee = by_insee.commune.code_insee if by_insee else None
    if insee and insee not in {c.code_insee for c in served}:
        understood = dataclasses.replace(understood, other_reading=by_insee.candidate)
    return understood


def _named_in(pool, words):
    """The candidate of the pool named by these words (current or former name), or None."""
    key = _key(words)
    for candidate in pool:
        names = {candidate.commune.nom, *_former_names(candidate.commune.code_insee)}
        for nom in names:
            if _key(_words(nom)) == key:
                return Candidate(candidate.commune, "" if nom == candidate.commune.nom else nom)
        parent = candidate.commune.commune_parent_id
        if parent and _key(_words(territoires.get_commune(parent).nom)) == key:
            return candidate  # « Marseille 13016 » is the 16e arrondissement
    return None


def _former_names(code_insee):
    return (
        AncienneCommune.objects.filter(commune_id=code_insee)
        .exclude(nom="")
        .values_list("nom", flat=True)
    )


def _address(street, candidate, code_postal):
    """A street address in a commune: geocoded when a geocoder is configured and answers,
    else the commune's point (precision `commune`, « position approximative »)."""
    commune = candidate.commune
    position = geocoding.locate(
        street, code_postal, commune.code_insee, commune.nom
    ) or geocoding.Position(commune.latitude, commune.longitude, PRECISION_COMMUNE)
    return Understood(
        candidate, position.latitude, position.longitude, position.precision, ADRESSE,
        code_postal,
    )  # fmt: skip
