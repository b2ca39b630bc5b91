"""French wording the templates and e-mails share: elision of « de » before a vowel and plurals
counted the French way (0 and 1 take the singular). Registered as template built-ins
(`config.settings.base.TEMPLATES`): `{{ personne|de }}`, `{{ n|pluriel:"situation bloquée" }}`,
`{{ n|accorde:"situation bloquée" }}` (the noun alone).
"""

from django import template

from config.text import fold

register = template.Library()

# A name starting with a vowel sound takes « d' ». An initial h is left out: muet (« d'Hélène »)
# or aspiré (« de Hugues » is heard both ways), « de » is never wrong before it.
VOWELS = frozenset("aeiouy")
INVARIABLE_ENDINGS = ("s", "x", "z")


@register.filter
def de(name):
    """« de » or « d' » joined to `name`: « d'Amina Benali », « d'Émile », « de Léa »,
    « de Yannick » (y before a vowel is a consonant)."""
    name = str(name)
    initials = fold(name[:2])
    if initials[:1] in VOWELS and not (initials[:1] == "y" and initials[1:2] in VOWELS):
        return f"d'{name}"
    return f"de {name}"


def plural_of(words):
    """Each word of `words` in the plural by the regular rule (an s, except after s, x, z):
    « situation bloquée » → « situations bloquées », « parcours » → « parcours »."""
    return " ".join(w if w.endswith(INVARIABLE_ENDINGS) else w + "s" for w in words.split(" "))


@register.filter
def accorde(count, forms):
    """The noun `forms` agreed with `count`, without the count (for a figure shown apart):
    « situation bloquée » for 0 and 1, « situations bloquées » from 2. `forms` is the
    singular, or « singular,plural » for an irregular plural (« travail,travaux »)."""
    singular, _, plural = str(forms).partition(",")
    return singular if abs(int(count)) < 2 else plural or plural_of(singular)


@register.filter
def pluriel(count, forms):
    """`count` and its noun: « 0 situation bloquée », « 1 situation bloquée », « 2 situations
    bloquées » (`forms` as for `accorde`)."""
    return f"{int(count)} {accorde(count, forms)}"
