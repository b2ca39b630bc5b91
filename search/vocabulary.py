"""Corpus statistics of the search index: computed once per full index (`search_reindex`), read
by both backends, so that they weigh words alike and return the same results in the same order.

- **Weight of a stem** (inverse document frequency, Spärck Jones 1972, in whole numbers so that
  both backends add exactly the same scores): ``1 + round(log2((N + 1) / (df + 1)))``, where N is
  the number of services indexed and df the number whose text contains the stem. « aide »
  (in one service out of three) weighs 2, « cv » (one in fifty) 7. A stem the statistics do not
  know (no statistics yet, or a service added since the last full index) weighs as a word found
  in no service.
- **Typo tolerance**: a written word of at least `TYPO_MIN_LETTERS` letters that no service
  contains is read as the index's words one edit away (insertion, deletion, substitution or
  transposition of two letters; two edits from `TWO_TYPOS_FROM` letters): « hebergment » →
  « hebergement »; failing that, a truncated word as the words it begins (« accomp »).
- **Spelling suggestion** (« Vouliez-vous dire … ? »): the most frequent known word one edit
  away, two for words of `SUGGESTION_TWO_EDITS_FROM` letters or more.

Statistics are reloaded from the database at most every `RELOAD_AFTER_SECONDS` in each process
(at once in the process that computed them).
"""

import math
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from rapidfuzz import process
from rapidfuzz.distance import OSA

from search.models import CorpusStatistics, IndexWord
from search.text import written_words

TYPO_MIN_LETTERS = 5  # issue 15: « une faute tolérée pour les mots de 5 lettres ou plus »
TYPO_MAX_EDITS = 1
# Long words tolerate two (as Elasticsearch's `fuzziness: AUTO` does beyond 5 letters).
TWO_TYPOS_FROM = 8
# An unknown word of at least this many letters that begins known words stands for them
# (« accomp » → accompagnement), the most frequent first.
PREFIX_MIN_LETTERS = 4
MAX_COMPLETIONS = 5
# Two edits for words of 8 letters or more, one below: « aller » is not « arles ».
SUGGESTION_MAX_EDITS = 2
SUGGESTION_TWO_EDITS_FROM = 8
# Longer « words » (a URL, a pasted identifier) are searched but neither stored nor corrected.
MAX_WORD_LETTERS = 40
RELOAD_AFTER_SECONDS = 60


@dataclass
class Vocabulary:
    documents: int = 0
    frequencies: dict[str, int] = field(default_factory=dict)  # stem → df
    stems: dict[str, str] = field(default_factory=dict)  # word → stem
    words_by_length: dict[int, list[str]] = field(default_factory=dict)

    def __post_init__(self):
        by_length = defaultdict(list)
        for word in self.stems:
            by_length[len(word)].append(word)
        self.words_by_length = dict(by_length)

    def weight(self, stem: str) -> int:
        """The integer weight of a stem (module docstring): ≥ 1, higher for rarer stems."""
        frequency = self.frequencies.get(stem, 0)
        return 1 + round(math.log2((self.documents + 1) / (frequency + 1)))

    def knows(self, stem: str) -> bool:
        return stem in self.frequencies

    def _near(self, word: str, max_edits: int) -> list[str]:
        candidates = [
            known
            for length in range(len(word) - max_edits, len(word) + max_edits + 1)
            for known in self.words_by_length.get(length, ())
        ]
        matches = process.extract(
            word, candidates, scorer=OSA.distance, score_cutoff=max_edits, limit=None
        )
        # Closest first, then the most frequent, then alphabetical: deterministic.
        return [
            known
            for known, _, _ in sorted(
                matches, key=lambda m: (m[1], -self.frequencies[self.stems[m[0]]], m[0])
            )
        ]

    def knows_word(self, word: str) -> bool:
        return word in self.stems

    def corrections(self, word: str) -> list[str]:
        """Stems of the known words one edit away from an unknown written word of at least
        `TYPO_MIN_LETTERS` letters (two from `TWO_TYPOS_FROM`); else the stems of the known
        words it begins (`PREFIX_MIN_LETTERS`); [] for a known or short word."""
        if len(word) < PREFIX_MIN_LETTERS or word in self.stems or len(word) > MAX_WORD_LETTERS:
            return []
        edits = 0 if len(word) < TYPO_MIN_LETTERS else TYPO_MAX_EDITS
        edits += len(word) >= TWO_TYPOS_FROM
        known = self._near(word, edits) if edits else []
        stems = [self.stems[near] for near in known or self._completions(word)]
        return list(dict.fromkeys(stems))

    def _completions(self, word: str) -> list[str]:
        longer = (
            known
            for length in range(len(word) + 1, MAX_WORD_LETTERS + 1)
            for known in self.words_by_length.get(length, ())
            if known.startswith(word)
        )
        by_frequency = sorted(longer, key=lambda w: (-self.frequencies[self.stems[w]], w))
        return by_frequency[:MAX_COMPLETIONS]

    def suggestion(self, word: str) -> str | None:
        """The known word most likely meant by an unknown one, or None."""
        if word in self.stems or len(word) < 3 or len(word) > MAX_WORD_LETTERS:
            return None
        edits = SUGGESTION_MAX_EDITS if len(word) >= SUGGESTION_TWO_EDITS_FROM else 1
        near = self._near(word, edits)
        return near[0] if near else None


_loaded = {"vocabulary": None, "at": 0.0, "computed_at": None}


def _load(statistics):
    words = IndexWord.objects.values_list("word", "stem", "document_frequency")
    frequencies, stems = {}, {}
    for word, stem, frequency in words.iterator(chunk_size=5000):
        stems[word] = stem
        frequencies[stem] = frequency
    return Vocabulary(statistics.documents if statistics else 0, frequencies, stems)


def current() -> Vocabulary:
    """The statistics of the last full index, from this process's memory: every
    `RELOAD_AFTER_SECONDS` one query tells whether a full index computed new ones, and only
    then are the words read again."""
    if (
        _loaded["vocabulary"] is not None
        and time.monotonic() - _loaded["at"] <= RELOAD_AFTER_SECONDS
    ):
        return _loaded["vocabulary"]
    statistics = CorpusStatistics.objects.first()
    computed_at = statistics.computed_at if statistics else None
    if _loaded["vocabulary"] is None or computed_at != _loaded["computed_at"]:
        _loaded.update(vocabulary=_load(statistics), computed_at=computed_at)
    _loaded["at"] = time.monotonic()
    return _loaded["vocabulary"]


def forget():
    _loaded["vocabulary"] = None


class StatisticsBuilder:
    """Counts, service by service, what `current()` reads; `save()` replaces the statistics."""

    def __init__(self):
        self.documents = 0
        self.frequencies = Counter()
        self.stems = {}

    def add(self, text: str):
        self.documents += 1
        pairs = written_words(text)
        self.frequencies.update({stem for _, stem in pairs})
        self.stems.update((w, stem) for w, stem in pairs if len(w) <= MAX_WORD_LETTERS)

    @transaction.atomic
    def save(self):
        IndexWord.objects.all().delete()
        IndexWord.objects.bulk_create(
            (
                IndexWord(word=word, stem=stem, document_frequency=self.frequencies[stem])
                for word, stem in self.stems.items()
            ),
            batch_size=2000,
        )
        CorpusStatistics.objects.all().delete()
        CorpusStatistics.objects.create(documents=self.documents, computed_at=timezone.now())
        forget()
        transaction.on_commit(forget)


def compute(texts: Iterable[str]):
    """Replaces the statistics with those of these texts (one per indexed service)."""
    builder = StatisticsBuilder()
    for text in texts:
        builder.add(text)
    builder.save()
