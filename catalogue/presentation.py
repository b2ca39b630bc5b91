"""What a service page shows, as labels rather than slugs, and whom to contact."""

from dataclasses import dataclass

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


@dataclass(frozen=True)
class Contact:
    """Whom to call or write about a service. `de_la_structure`: the structure's public
    contact stands in for the service's (then `adresse` is the structure's)."""

    telephone: str
    courriel: str
    nom: str = ""
    de_la_structure: bool = False
    adresse: str = ""

    def __bool__(self):
        """False when there is nothing to call, write to or go to."""
        return bool(self.telephone or self.courriel or self.adresse)

    @property
    def titre(self):
        return "Contact de la structure" if self.de_la_structure else "Contact"

    @property
    def lines(self):
        """What is known, one line each, for a text or a printout: ["Nadia Haddad",
        "Téléphone : 04 91 00 00 00", "Courriel : …", "Adresse : …"]."""
        labelled = (
            ("", self.nom),
            ("Téléphone : ", self.telephone),
            ("Courriel : ", self.courriel),
            ("Adresse : ", self.adresse),
        )
        return [label + value for label, value in labelled if value]


def contact(service, professional):
    """The contact of `service` this reader may see. A professional (logged in) sees the
    service's phone, e-mail and contact name; anyone else sees the phone and e-mail only when
    the structure made them public (`Service.contact_public`; the name never). Otherwise — or
    when the service has neither — the structure's phone, e-mail and address, which are public
    (the open data·inclusion export carries them): never the service's private ones."""
    if (professional or service.contact_public) and (service.telephone or service.courriel):
        nom = service.contact_nom_prenom if professional else ""
        return Contact(service.telephone, service.courriel, nom)
    structure = service.structure
    return Contact(
        structure.telephone,
        structure.courriel,
        de_la_structure=True,
        adresse=structure.adresse_complete,
    )
