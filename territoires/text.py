import unicodedata


def fold(text: str) -> str:
    """Lowercase, strip accents and turn hyphens and apostrophes into spaces.

    "L'Île-d'Yeu" → "l ile d yeu": what a person types in an autocomplete box matches.
    """
    decomposed = unicodedata.normalize("NFKD", text.lower())
    without_accents = "".join(c for c in decomposed if not unicodedata.combining(c))
    for separator in "-'’":
        without_accents = without_accents.replace(separator, " ")
    return " ".join(without_accents.split())
