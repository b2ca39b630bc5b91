"""French text analysis, done once in Python for both search backends.

The Elasticsearch distribution we run has no French analyzer, no accent folding and no stemmer:
the index stores the tokens computed here, the queries look for tokens computed here, and the
database backend compares the same tokens. « Aides au logement » and « aide logement » match.
"""

import functools
import re
import unicodedata

import snowballstemmer

ELISION = re.compile(r"\b(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu)['’]", re.IGNORECASE)
WORD = re.compile(r"[a-z0-9]+")
# A word as written, with its elisions: « l'éducation », « aujourd'hui ».
WRITTEN_WORD = re.compile(r"\w+(?:['’]\w+)*")
STOP_WORDS = frozenset(
    [
        "a", "au", "aux", "avec", "ce", "ces", "dans", "de", "des", "du", "en", "et", "il",
        "ils", "la", "le", "les", "leur", "leurs", "nos", "notre", "ou", "par", "pour", "sa",
        "se", "ses", "son", "sur", "un", "une", "vos", "votre",
    ]
)  # fmt: skip

_stemmer = snowballstemmer.stemmer("french")


LIGATURES = str.maketrans({"œ": "oe", "æ": "ae"})


def fold(text: str) -> str:
    """Lowercase ASCII: « Île » → « ile », « cœur » → « coeur »; other non-ASCII characters
    (accents once split off, punctuation like ’ or «) are dropped."""
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(LIGATURES))
    return decomposed.encode("ascii", "ignore").decode("ascii")


@functools.lru_cache(maxsize=100_000)
def _word_tokens(word: str) -> tuple[str, ...]:
    """The stems of one word as written (« l'éducation » → educ): texts repeat their words, so
    elision, folding and stemming are done once a word."""
    parts = WORD.findall(fold(ELISION.sub(" ", word)))
    return tuple(_stemmer.stemWord(part) for part in parts if part not in STOP_WORDS)


def tokens(text: str) -> list[str]:
    """The normalised tokens of a text, in order, stop words left out."""
    words = WRITTEN_WORD.findall((text or "").lower())
    return [token for word in words for token in _word_tokens(word)]


def normalize(text: str) -> str:
    return " ".join(tokens(text))
