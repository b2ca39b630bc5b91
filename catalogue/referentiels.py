"""The data·inclusion v1 controlled vocabularies, read from the `data-inclusion-schema` package."""

from data_inclusion.schema import v1

CATEGORY_SEPARATOR = "--"
TOUS_PUBLICS = v1.Public.TOUS_PUBLICS.value
EN_PRESENTIEL = v1.ModeAccueil.EN_PRESENTIEL.value
A_DISTANCE = v1.ModeAccueil.A_DISTANCE.value


def modes_accueil_effectifs(modes_accueil):
    """A service that gives no mode d'accueil is met on site."""
    return modes_accueil or [EN_PRESENTIEL]


def _choices(enum):
    return sorted(((member.value, member.label) for member in enum), key=lambda c: c[1])


REFERENTIELS = {
    "thematiques": _choices(v1.Thematique),
    "categories": _choices(v1.Categorie),
    "publics": _choices(v1.Public),
    "types": _choices(v1.TypeService),
    "frais": _choices(v1.Frais),
    "modes_accueil": _choices(v1.ModeAccueil),
    "modes_mobilisation": _choices(v1.ModeMobilisation),
    "personnes_mobilisatrices": _choices(v1.PersonneMobilisatrice),
    "reseaux_porteurs": _choices(v1.ReseauPorteur),
}

_LABELS = {name: dict(choices) for name, choices in REFERENTIELS.items()}


def label(referentiel, value):
    return _LABELS[referentiel].get(value, value)


def categorie_of(thematique):
    return thematique.split(CATEGORY_SEPARATOR, 1)[0]


def thematiques_of(categorie):
    prefix = categorie + CATEGORY_SEPARATOR
    return [value for value, _ in REFERENTIELS["thematiques"] if value.startswith(prefix)]
