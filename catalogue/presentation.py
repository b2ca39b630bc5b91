"""What a service page shows, as labels rather than slugs."""

from catalogue import horaires
from catalogue.referentiels import label


def _labels(referentiel, values):
    return [label(referentiel, value) for value in values]


def service_sections(service):
    return {
        "thematiques": _labels("thematiques", service.thematiques),
        "publics": _labels("publics", service.publics) or ["Tous publics"],
        "modes_accueil": _labels("modes_accueil", service.modes_accueil) or ["En présentiel"],
        "modes_mobilisation": _labels("modes_mobilisation", service.modes_mobilisation),
        "mobilisable_par": _labels("personnes_mobilisatrices", service.mobilisable_par),
        "type": label("types", service.type) if service.type else "",
        "frais": label("frais", service.frais) if service.frais else "",
        "horaires": horaires.humanize(service.horaires),
    }
