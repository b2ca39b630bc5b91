"""What a service page shows, as labels rather than slugs."""

from django.utils import timezone

from catalogue import horaires
from catalogue.referentiels import label
from catalogue.validators import acceslibre_problem


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


def opening(opening_hours, time_zone, instant=None):
    """What a card or a page says of hours: {"lignes": the French reading, "ouvert": whether open
    at the instant (now by default; catalogue.horaires, as the search filters), None without
    hours}."""
    if not opening_hours:
        return {"lignes": [], "ouvert": None}
    instant = instant or timezone.now()
    return {
        "lignes": horaires.humanize(opening_hours),
        "ouvert": horaires.is_open(opening_hours, time_zone, instant),
    }


def structure_sections(structure):
    """Hours (with « ouvert maintenant »), réseaux porteurs as labels, and the accessibility
    link when it is an Acceslibre page."""
    link = structure.accessibilite_lieu
    return {
        "horaires": opening(structure.horaires_accueil, str(structure.fuseau_horaire)),
        "reseaux_porteurs": _labels("reseaux_porteurs", structure.reseaux_porteurs),
        "acceslibre": link if link and not acceslibre_problem(link) else "",
    }
