"""Text folding, the one way the portal compares what people type with what it stores: search
tokens (`search.text`), commune names (`territoires`) and the person key of prescriptions and
parcours (`prescription.models.person_key`). It lives here, below every app, so that the
reference geography does not depend on search.
"""

import re

from anyascii import anyascii

WORD = re.compile(r"[a-z0-9]+")
# Pictographs and emoji (with their joiners and variation selectors) carry no word to match:
# anyascii would spell them out (🚲 → « :bike: »).
PICTOGRAPHS = re.compile("[\u2190-\u2bff\U0001f000-\U0001faff\ufe0f\u200d]")


def fold(text: str) -> str:
    """Lowercase ASCII by transliteration (anyascii): « Bœrsch » → « boersch », « Ørsted » →
    « orsted », « Łucja » → « lucja », « Straße » → « strasse », « Nguyễn » → « nguyen »,
    « Işık » → « isik »; punctuation is transliterated too (’ → ', « → <<); pictographs and
    emoji are dropped."""
    return anyascii(PICTOGRAPHS.sub(" ", text)).lower()


def folded_words(text: str) -> str:
    """The folded words of a name, one space apart, punctuation dropped: « L'Île-d'Yeu » →
    « l ile d yeu », what a person types in an autocomplete box or a form."""
    return " ".join(WORD.findall(fold(text)))
