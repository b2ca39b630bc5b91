"""The field's vocabulary: synonyms and acronyms of the insertion field, expanded at query time.

The lexicon is data (`search/data/lexique.csv`, described in `search/data/README.md`), loaded
into `SynonymGroup` rows by a migration and by `manage.py load_lexique`, then edited by
gestionnaires in the Wagtail admin (« Lexique de la recherche »). Nothing of it is indexed: the
query analysis asks `find()` which entries the query's tokens contain, so an edit needs no
reindex.

Freshness: `entries()` keeps the active entries in memory for `RELOAD_AFTER` seconds (60). The
process that saves or deletes an entry forgets them at once (see `search/signals.py`); other
processes (other web workers) read the change within 60 s.
"""

import csv
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from search.models import SynonymGroup
from search.text import tokens, written_words
from search.vocabulary import Vocabulary

DATA_FILE = Path(__file__).parent / "data" / "lexique.csv"
EXPRESSION_SEPARATOR = "|"
RELOAD_AFTER = 60  # seconds


@dataclass(frozen=True)
class LexiconEntry:
    """An active entry, analysed: `expressions` are the token tuples of its expressions (as
    `search.text.tokens` gives them, duplicates and empty ones dropped, in the order written);
    `thematiques` data·inclusion v1 slugs (may be empty); `label` its first expression as
    written (« CV »), for messages."""

    expressions: tuple[tuple[str, ...], ...]
    thematiques: frozenset[str]
    source: str
    label: str
    # (folded word, token) of every word its expressions are written with: typos are corrected
    # towards them too (« boulo » → « boulot »).
    words: tuple[tuple[str, str], ...] = ()


def analyse(group: SynonymGroup) -> LexiconEntry:
    written = group.expression_list()
    analysed = (tuple(tokens(expression)) for expression in written)
    return LexiconEntry(
        expressions=tuple(dict.fromkeys(expression for expression in analysed if expression)),
        thematiques=frozenset(group.thematiques),
        source=group.source,
        label=written[0] if written else "",
        words=tuple(pair for expression in written for pair in written_words(expression)),
    )


class _Lexicon:
    """The active entries and, by first token, their expressions longest first."""

    def __init__(self, loaded: list[LexiconEntry]):
        self.entries = [entry for entry in loaded if entry.expressions]
        self.loaded_at = time.monotonic()
        self.by_first_token: dict[str, list[tuple[tuple[str, ...], LexiconEntry]]] = {}
        for entry in self.entries:
            for expression in entry.expressions:
                self.by_first_token.setdefault(expression[0], []).append((expression, entry))
        for candidates in self.by_first_token.values():
            candidates.sort(key=lambda candidate: -len(candidate[0]))  # stable: entry order kept
        self.tokens = frozenset(
            token
            for entry in self.entries
            for expression in entry.expressions
            for token in expression
        )
        words = dict(pair for entry in self.entries for pair in entry.words)
        self.spelling = Vocabulary(frequencies=dict.fromkeys(words.values(), 1), stems=words)


_cache: list[_Lexicon] = []  # zero or one lexicon, replaced whole


def clear() -> None:
    """Forgets the loaded entries: the next call reads the database."""
    _cache.clear()


def _lexicon() -> _Lexicon:
    if not _cache or time.monotonic() - _cache[0].loaded_at >= RELOAD_AFTER:
        groups = SynonymGroup.objects.filter(active=True).order_by("pk")
        _cache[:] = [_Lexicon([analyse(group) for group in groups])]
    return _cache[0]


def entries() -> list[LexiconEntry]:
    """The active entries, in the order they were created; at most `RELOAD_AFTER` s old."""
    return list(_lexicon().entries)


def knows(token: str) -> bool:
    """Whether some expression of the lexicon contains this token."""
    return token in _lexicon().tokens


def corrections(word: str) -> list[str]:
    """Tokens of the lexicon's words one typo away from this written word (or that it begins):
    `search.vocabulary.Vocabulary.corrections` over the lexicon's words."""
    return _lexicon().spelling.corrections(word)


def knows_word(word: str) -> bool:
    return _lexicon().spelling.knows_word(word)


def find(query_tokens: Sequence[str]) -> list[tuple[int, int, LexiconEntry]]:
    """Non-overlapping matches of entry expressions in the analysed query tokens, as
    `(start, stop, entry)` with `query_tokens[start:stop]` one of `entry.expressions`.

    The tokens are scanned left to right; at each position the longest expression that matches
    wins and the scan resumes after it (« code de la route » is one match, not « code » then
    « route »); a position where nothing matches is skipped. When that longest expression
    belongs to several entries, the entry whose first expression (headword) it is is returned,
    else each of them with the same span, in entry order: the caller may expand to all of them.
    ["aide", "cv"] → [(1, 2, <CV entry>)].
    """
    query = tuple(query_tokens)
    by_first_token = _lexicon().by_first_token
    matches = []
    start = 0
    while start < len(query):
        candidates = by_first_token.get(query[start], [])
        hits = [
            (expression, entry)
            for expression, entry in candidates
            if query[start : start + len(expression)] == expression
        ]
        if not hits:
            start += 1
            continue
        length = len(hits[0][0])
        entries = list(dict.fromkeys(e for expression, e in hits if len(expression) == length))
        # The entry whose headword it is wins: « permis » is not « permis C » once the lone
        # letter is dropped.
        matched = query[start : start + length]
        entries = [e for e in entries if e.expressions[0] == matched] or entries
        matches.extend((start, start + length, entry) for entry in entries)
        start += length
    return matches


@dataclass(frozen=True)
class Row:
    """One line of the data file: expressions as written, thematique slugs, source."""

    key: str
    expressions: tuple[str, ...]
    thematiques: tuple[str, ...]
    source: str


def read_rows(path: Path = DATA_FILE) -> list[Row]:
    """The data file's entries. Columns: key, expressions (separated by `|`), thematiques
    (separated by spaces), source."""
    with path.open(encoding="utf-8", newline="") as file:
        return [
            Row(
                key=record["key"].strip(),
                expressions=tuple(
                    part.strip()
                    for part in record["expressions"].split(EXPRESSION_SEPARATOR)
                    if part.strip()
                ),
                thematiques=tuple(record["thematiques"].split()),
                source=record["source"].strip(),
            )
            for record in csv.DictReader(file)
        ]


def load_rows(model, rows: Sequence[Row], replace: bool = False) -> dict[str, int]:
    """Creates the rows' entries missing from `model` (the `SynonymGroup` model, or its
    historical version in a migration), matched by key; with `replace`, rewrites the existing
    ones from the file too (an admin edit of them is lost). Idempotent. Returns the counts
    `{"created": n, "replaced": n, "kept": n}`."""
    existing = {group.key: group for group in model.objects.filter(key__in=[r.key for r in rows])}
    counts = {"created": 0, "replaced": 0, "kept": 0}
    for row in rows:
        values = {
            "expressions": "\n".join(row.expressions),
            "thematiques": list(row.thematiques),
            "source": row.source,
        }
        group = existing.get(row.key)
        if group is None:
            model.objects.create(key=row.key, **values)
            counts["created"] += 1
        elif replace and any(getattr(group, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(group, name, value)
            group.save()
            counts["replaced"] += 1
        else:
            counts["kept"] += 1
    return counts
