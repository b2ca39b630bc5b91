"""What the search indexes for a service: built here once, stored by both backends."""

import functools

from django.urls import reverse

from catalogue.models import Service
from catalogue.referentiels import A_DISTANCE, EN_PRESENTIEL, categorie_of, label
from search.text import tokens

# The data·inclusion v1 fields of a service, in the schema's order.
DATA_INCLUSION_FIELDS = [
    "source", "nom", "description", "lien_source", "date_maj", "type", "thematiques", "frais",
    "frais_precisions", "publics", "publics_precisions", "conditions_acces", "telephone",
    "courriel", "contact_nom_prenom", "adresse", "complement_adresse", "commune", "code_postal",
    "code_insee", "latitude", "longitude", "modes_accueil", "zone_eligibilite",
    "lien_mobilisation", "modes_mobilisation", "mobilisable_par", "mobilisation_precisions",
    "volume_horaire_hebdomadaire", "nombre_semaines", "horaires_accueil",
]  # fmt: skip
NULLABLE_TEXT = {"type", "frais"}


@functools.cache
def _service_url_pattern():
    return reverse("catalogue:service", args=[0]).replace("/0/", "/{}/")


def _service_url(pk):
    """`Service.get_absolute_url()` without resolving the URL again for each of 150,000."""
    return _service_url_pattern().format(pk)


def searchable_services():
    """The services search shows, with what their documents need, in one query."""
    return Service.objects.publies().select_related("structure").order_by("pk")


def payload(service):
    """The service as data·inclusion v1 (plus its structure and page), as the API returns it."""
    data = {"id": service.identifiant, "structure_id": service.structure.identifiant}
    for name in DATA_INCLUSION_FIELDS:
        value = getattr(service, name)
        data[name] = (value or None) if name in NULLABLE_TEXT else value
    data["date_maj"] = service.date_maj.isoformat()
    data["horaires_accueil"] = service.horaires
    data["structure"] = {"id": service.structure_id, "nom": service.structure.nom}
    data["url"] = _service_url(service.pk)
    return data


def effective_modes_accueil(service):
    """A service that gives no mode d'accueil is met on site."""
    return service.modes_accueil or [EN_PRESENTIEL]


def text_of(service):
    labels = [label("thematiques", slug) for slug in service.thematiques]
    return " ".join([service.nom, service.description, *labels, service.structure.nom])


def document(service):
    modes = effective_modes_accueil(service)
    return {
        "id": service.pk,
        "identifiant": service.identifiant,
        "latitude": service.latitude,
        "longitude": service.longitude,
        "sur_place": EN_PRESENTIEL in modes,
        "a_distance": A_DISTANCE in modes,
        "tokens": sorted(set(tokens(text_of(service)))),
        "thematiques": sorted(service.thematiques),
        "categories": sorted({categorie_of(slug) for slug in service.thematiques}),
        "publics": sorted(service.publics),
        "types": [service.type] if service.type else [],
        "frais": [service.frais] if service.frais else [],
        "modes_accueil": sorted(modes),
        "zones": sorted(service.zone_eligibilite),
        "contact_public": service.contact_public,
        "payload": payload(service),
    }
