"""French text analysis, done once in Python for both search backends.

The Elasticsearch distribution we run has no French analyzer, no accent folding and no stemmer:
the index stores the tokens computed here, the queries look for tokens computed here, and the
database backend compares the same tokens. A word is cut from its elision (« l'éducation »),
folded by `config.text.fold` (the portal's one folding), dropped if it is a stop word, stemmed
by Snowball's French stemmer, then stripped of a plural mark Snowball leaves after a vowel:
« Aides au logement » and « aide logement » match, so do « motos » and « moto ».
"""

import functools
import re
import threading

import snowballstemmer

from config.text import WORD, fold

ELISION = re.compile(r"\b(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu)['’]", re.IGNORECASE)
# A word as written, with its elisions: « l'éducation », « aujourd'hui ».
WRITTEN_WORD = re.compile(r"\w+(?:['’]\w+)*")
STOP_WORDS = frozenset(
    [
        "a", "au", "aux", "avec", "ce", "ces", "cet", "cette", "dans", "de", "des", "du", "elle",
        "elles", "en", "est", "et", "il", "ils", "je", "la", "le", "les", "leur", "leurs", "lui",
        "ma", "me", "mes", "mon", "ne", "nos", "notre", "nous", "on", "ou", "par", "pas", "plus",
        "pour", "qui", "que", "sa", "se", "ses", "son", "sont", "sur", "ta", "te", "tes", "ton",
        "tu", "un", "une", "vos", "votre", "vous", "y",
        # What case notes and hurried typing add: civilities and shorthands.
        "mme", "mr", "monsieur", "madame", "pr", "ala", "svp",
        # A lone letter: an elision typed without its apostrophe (« d emploi »), an initial.
        *"bcdefghijklmnopqrstuvwxyz",
    ]
)  # fmt: skip
VOWELS = frozenset("aeiouy")
# Stems of this length or shorter keep their last letter: « bus », « os », « pas », « gaz ».
SHORTEST_PLURAL_STEM = 3

# A Snowball stemmer keeps the word it works on: one per thread (a threaded server).
_stemmers = threading.local()


def _stem(word: str) -> str:
    if not hasattr(_stemmers, "french"):
        _stemmers.french = snowballstemmer.stemmer("french")
    return _stemmers.french.stemWord(word)


def _singular(stem: str) -> str:
    """Snowball keeps the s or x of a plural after a vowel (« motos », « jeux », « trous »):
    dropped here, on singulars and plurals alike, so that both give the same token (« prix »
    → « pri » whatever its number)."""
    if len(stem) > SHORTEST_PLURAL_STEM and stem[-1] in "sx" and stem[-2] in VOWELS:
        return stem[:-1]
    return stem


@functools.lru_cache(maxsize=100_000)
def _word_pairs(word: str) -> tuple[tuple[str, str], ...]:
    """(folded word, stem) of one word as written (« l'éducation » → (education, educ)): texts
    repeat their words, so elision, folding and stemming are done once a word."""
    parts = WORD.findall(fold(ELISION.sub(" ", word)))
    return tuple((part, _singular(_stem(part))) for part in parts if part not in STOP_WORDS)


def written_words(text: str) -> list[tuple[str, str]]:
    """[(folded word, its token)] of a text, in order, stop words and elisions left out:
    « L'hébergement d'urgence » → [("hebergement", "heberg"), ("urgence", "urgenc")]."""
    words = WRITTEN_WORD.findall((text or "").lower())
    return [pair for word in words for pair in _word_pairs(word)]


def tokens(text: str) -> list[str]:
    """The normalised tokens of a text, in order, stop words left out."""
    return [stem for _, stem in written_words(text)]


def normalize(text: str) -> str:
    return " ".join(tokens(text))
