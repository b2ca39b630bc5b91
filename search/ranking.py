"""What words find and in which order: the one rule both backends apply (the database backend
as SQL expressions, Elasticsearch as constant scores and weight functions), documented in the README.

**Concepts.** The words typed become concepts: an expression of the search lexicon
(`search.lexique`: « code de la route », « CV », « crèche ») with its equivalent expressions and
the thématiques it points to, or else one word, with the index's words one typo away when no
service contains it, or the words it begins (`search.vocabulary`); a word nobody knows is
looked up in the lexicon as its correction, a long one as words typed without spaces. Each
concept weighs the weight of its rarest typed word (`vocabulary.weight`, an integer: rarer
words count more).

**Matching.** A service is found when the concepts it contains weigh at least half of the
query's weight — concepts no service contains left out — : « aide au CV » needs « CV » (weight
7 out of 9), not « aide » (2); and when its relevance is at least three quarters of the best
relevance among the services the place and the words give (facet selections aside):
« mobilité » only in a description (« accès aux personnes à mobilité réduite ») is left out
when services are about mobility.

**Relevance** = Σ over concepts of weight × field × strength, for the best alternative found:
- field: 3 in the title (service name and thématique labels), 2 in its context (category
  labels, publics' labels, the structure's name), 1 elsewhere (description); a service
  classified under a thématique the lexicon points to counts as found in the title;
- strength: 1 for the words typed (and for a thématique the lexicon points to), 0.75 for an
  equivalent expression of the lexicon, 0.5 for a word corrected (a typo, a truncated word).

**Rank** (`tri=pertinence`, the default when words are given) = relevance × proximity ×
freshness, services within the distance first, then the remote ones beyond it; ties: nearer,
later péremption, identifiant. `tri=distance` (the default without words): nearest first.
- proximity: 1 within 2 km, then 0.875 (5 km), 0.75 (10), 0.625 (20), 0.5 (30), 0.375 (50),
  0.25 beyond (and for remote services beyond the distance);
- freshness (`catalogue.fraicheur`): 1 while confirmed in time, 0.75 once late (past its
  péremption), 2⁻²⁰ once hidden from the public (not confirmed for 12 months): such services
  always come after the others, whatever the sort, for the professionals who still see them.

Every factor is a dyadic fraction and every weight an integer: Elasticsearch's 32-bit scores
and Python's floats are equal to the last bit, so both backends order alike.
"""

import functools
import itertools
from dataclasses import dataclass

from django.utils import timezone

from catalogue import fraicheur
from search import lexique, vocabulary
from search.text import STOP_WORDS, tokens, written_words

PERTINENCE, DISTANCE = "pertinence", "distance"
SORTS = [(PERTINENCE, "Pertinence"), (DISTANCE, "Distance")]

TITLE, CONTEXT, ANYWHERE = "t:", "c:", ""
# (prefix of the document's tokens, weight); the unprefixed tokens are all of the service's.
FIELDS = ((TITLE, 3), (CONTEXT, 2), (ANYWHERE, 1))
THEMATIQUE_FIELD_WEIGHT = 3
TYPED, EQUIVALENT, TYPO = 1.0, 0.75, 0.5

PROXIMITY_BANDS_KM = ((2, 1.0), (5, 0.875), (10, 0.75), (20, 0.625), (30, 0.5), (50, 0.375))
FAR = 0.25
ON_TIME, LATE, HIDDEN = 1.0, 0.75, 2.0**-20

# A service whose relevance is below three quarters of the best one's among the services the place and
# the words give is left out: « mobilité » in a description (« mobilité réduite ») is no answer
# when services are about mobility.
RELATIVE_CUTOFF = 0.75
# Unknown words this long are tried as words typed without spaces.
GLUED_MIN_LETTERS = 8
MAX_GLUED_WORDS = 4
ELIDED = frozenset({"d", "l"})
MAX_WORD_LETTERS = vocabulary.MAX_WORD_LETTERS
# The heaviest concepts decide what matches (at most 2⁶ combinations to spell out); the others
# still add to the relevance. Longer queries keep their heaviest concepts.
MATCHING_CONCEPTS = 6
MAX_CONCEPTS = 12


@dataclass(frozen=True)
class Alternative:
    tokens: tuple[str, ...]
    strength: float


@dataclass(frozen=True)
class Concept:
    """What one part of the query stands for: services containing every token of one
    alternative (or classified under one of `thematiques`) contain the concept."""

    words: str
    weight: int
    alternatives: tuple[Alternative, ...]
    thematiques: frozenset[str] = frozenset()
    # Whether some indexed service may contain it (the corpus statistics know its words, or the
    # lexicon gives thématiques); without statistics, every concept may be found.
    findable: bool = True


# Query side ---------------------------------------------------------------------------------


def analyse(text: str) -> tuple[Concept, ...]:
    """The concepts of the words typed, in their order (module docstring). A word that neither
    the index nor the lexicon knows is looked up in the lexicon as the index's word one typo
    away (« logemnt » → the entry of « logement »)."""
    known = vocabulary.current()
    pairs = [part for pair in written_words(text) for part in _unglued(*pair, known)]
    spelled = [_spelled(word, stem, known) for word, stem in pairs]
    concepts, covered = [], set()
    for (start, stop), entries in itertools.groupby(
        lexique.find(spelled), key=lambda match: match[:2]
    ):
        entries = [entry for _, _, entry in entries]
        concepts.append((start, _lexicon_concept(pairs[start:stop], entries, known)))
        covered.update(range(start, stop))
    for position, (word, stem) in enumerate(pairs):
        if position not in covered:
            concepts.append((position, _word_concept(word, stem, known)))
    concepts = _deduplicated([concept for _, concept in sorted(concepts, key=lambda c: c[0])])
    heaviest = sorted(concepts, key=lambda c: -c.weight)[:MAX_CONCEPTS]
    return tuple(concept for concept in concepts if concept in heaviest)


def _spelled(word, stem, known):
    if known.knows(stem) or lexique.knows(stem):
        return stem
    return next(iter(known.corrections(word) or lexique.corrections(word)), stem)


def _is_part(piece, known):
    """A piece of a glued word: a known word of 2 letters or more, or an elided article."""
    if piece in ELIDED:
        return True
    if len(piece) < 2:
        return False
    return piece in STOP_WORDS or known.knows_word(piece) or lexique.knows_word(piece)


def _unglued(word, stem, known):
    """A long unknown word made of known words typed without spaces (« gardedenfants »)
    becomes them; any other word is itself. [(word, token)]."""
    if len(word) < GLUED_MIN_LETTERS or known.knows_word(word) or lexique.knows_word(word):
        return [(word, stem)]
    if known.corrections(word) or lexique.corrections(word):
        return [(word, stem)]
    # parts[i]: the fewest known words spelling word[:i], or None.
    parts = [[]] + [None] * len(word)
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - MAX_WORD_LETTERS), end):
            piece = word[start:end]
            if parts[start] is not None and _is_part(piece, known):
                candidate = [*parts[start], piece]
                if parts[end] is None or len(candidate) < len(parts[end]):
                    parts[end] = candidate
    found = parts[-1]
    if not found or not 1 < len(found) <= MAX_GLUED_WORDS:
        return [(word, stem)]
    return written_words(" ".join(found))


def _deduplicated(concepts):
    return list(dict.fromkeys(concepts))


def _lexicon_concept(pairs, entries, known):
    typed = tuple(stem for _, stem in pairs)
    alternatives = {typed: TYPED}
    for entry in entries:
        for expression in entry.expressions:
            alternatives.setdefault(expression, EQUIVALENT)
    typed_weights = [known.weight(stem) for stem in typed if known.knows(stem)]
    other_weights = [known.weight(t) for e in alternatives for t in e if known.knows(t)]
    weight = max(typed_weights or other_weights or [known.weight(typed[0])])
    thematiques = frozenset().union(*(entry.thematiques for entry in entries))
    findable = bool(thematiques) or any(all(map(known.knows, e)) for e in alternatives)
    return Concept(
        words=" ".join(word for word, _ in pairs),
        weight=weight,
        alternatives=_undominated(alternatives),
        thematiques=thematiques,
        findable=findable or not known.documents,
    )


def _undominated(alternatives):
    """The alternatives ({tokens: strength}) no other one makes useless, in their order: an
    expression holding all the tokens of another one at least as strong (« formation
    qualifiante » beside « formation ») finds no service the other does not, nor scores more."""
    kept = []
    for expression, strength in sorted(alternatives.items(), key=lambda a: (-a[1], len(a[0]))):
        if not any(set(other) <= set(expression) for other, _ in kept):
            kept.append((expression, strength))
    return tuple(Alternative(*item) for item in alternatives.items() if item in kept)


def _word_concept(word, stem, known):
    corrections = known.corrections(word)
    alternatives = [Alternative((stem,), TYPED)]
    alternatives += [Alternative((correction,), TYPO) for correction in corrections]
    weights = [known.weight(correction) for correction in corrections]
    weight = max(weights) if weights else known.weight(stem)
    findable = known.knows(stem) or bool(corrections) or not known.documents
    return Concept(words=word, weight=weight, alternatives=tuple(alternatives), findable=findable)


def matching_groups(concepts) -> list[tuple[Concept, ...]]:
    """The smallest sets of concepts whose weight reaches half of the query's: a service
    containing all the concepts of one set matches. [] when there are no concepts. Concepts
    no indexed service contains are left out of the reckoning (« femme battue »: « battue »
    is in no service; « femme » decides), unless all are."""
    concepts = [concept for concept in concepts if concept.findable] or concepts
    deciding = sorted(concepts, key=lambda c: -c.weight)[:MATCHING_CONCEPTS]
    total = sum(concept.weight for concept in concepts)
    groups = []
    for size in range(1, len(deciding) + 1):
        for group in itertools.combinations(deciding, size):
            heavy_enough = 2 * sum(concept.weight for concept in group) >= total
            if heavy_enough and not any(set(smaller) <= set(group) for smaller in groups):
                groups.append(group)
    return groups


def clause_score(concept, alternative, field_weight) -> float:
    return concept.weight * field_weight * alternative.strength


def thematique_score(concept) -> float:
    return concept.weight * THEMATIQUE_FIELD_WEIGHT * TYPED


# Document side (the database backend's SQL; Elasticsearch computes the same from the same numbers)


@functools.lru_cache(maxsize=64)
def scorings(concepts):
    """Per concept, its (score, needles) pairs best first: the alternative × field is found when
    every needle (` t:token `, …) is in the document's tokens written ` a b c `."""
    return tuple(
        sorted(
            (
                (
                    clause_score(concept, alternative, weight),
                    [f" {prefix}{t} " for t in alternative.tokens],
                )
                for alternative in concept.alternatives
                for prefix, weight in FIELDS
            ),
            key=lambda scoring: -scoring[0],
        )
        for concept in concepts
    )


def best_possible(concepts) -> float:
    """The highest relevance a service could have for these concepts: each found at its best
    (in the title) through an alternative whose words the index knows; 0.0 when none may be
    found. A guess of the best relevance, never below it for the indexed statistics."""
    known = vocabulary.current()
    return sum(_best_possible(concept, known) for concept in concepts if concept.findable)


def _best_possible(concept, known):
    scores = [thematique_score(concept)] if concept.thematiques else []
    scores += [
        clause_score(concept, alternative, FIELDS[0][1])
        for alternative in concept.alternatives
        if not known.documents or all(map(known.knows, alternative.tokens))
    ]
    return max(scores, default=0.0)


def relevance_cutoff(best: float) -> float:
    """Services less relevant than this are left out: a fraction of the best relevance."""
    return best * RELATIVE_CUTOFF


def proximity(distance_km: float | None) -> float:
    if distance_km is None:
        return FAR
    return next((factor for limit, factor in PROXIMITY_BANDS_KM if distance_km <= limit), FAR)


def hidden_since(today=None):
    """Services last confirmed before this day are hidden from the public (12 months)."""
    return fraicheur.visible_publiquement_depuis(today or timezone.localdate())


def freshness(date_maj, perime_le, today, hidden_before) -> float:
    """The freshness factor of a service on `today`; `hidden_before` is `hidden_since(today)`,
    computed once for all the services of a search."""
    if date_maj < hidden_before:
        return HIDDEN
    return LATE if perime_le < today else ON_TIME


def document_tokens(title: str, context: str, text: str) -> list[str]:
    """The tokens a service is indexed with: every stem of its text, plus the stems of its title
    and of its context prefixed with their field (`FIELDS`)."""
    everything = set(tokens(text))
    return sorted(
        everything
        | {f"{TITLE}{token}" for token in tokens(title)}
        | {f"{CONTEXT}{token}" for token in tokens(context)}
    )
