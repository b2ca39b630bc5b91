"""What the search indexes for a service: built here once, stored by both backends."""

import functools

from django.urls import reverse

from catalogue import fraicheur, horaires
from catalogue.data_inclusion import service_record
from catalogue.models import Service
from catalogue.referentiels import A_DISTANCE, EN_PRESENTIEL, categorie_of, label
from search.facets import FACETS, effective_modes_accueil
from search.ranking import document_tokens

# An on-site service without coordinates is found and shown at its structure's address.
STRUCTURE_ADDRESS_FIELDS = (
    "adresse", "complement_adresse", "code_postal", "code_insee", "commune", "latitude",
    "longitude",
)  # fmt: skip


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
    """The service as data·inclusion v1 (contacts included: the API hides them from anonymous
    callers), plus its structure and its page."""
    data = service_record(service, public=False)
    data["structure"] = {"id": service.structure_id, "nom": service.structure.nom}
    data["url"] = _service_url(service.pk)
    lieu = service.lieu_accueil
    if service.au_lieu_de_la_structure:
        data |= {name: getattr(lieu, name) or None for name in STRUCTURE_ADDRESS_FIELDS}
    data["precision_position"] = lieu.precision or None
    data["position_de_la_structure"] = service.au_lieu_de_la_structure
    # The zone its hours are read in (IANA name): its structure's (territoires.fuseaux).
    data["fuseau_horaire"] = str(service.structure.fuseau_horaire)
    return data


def opening_ranges(opening_hours):
    """The weekly open intervals (catalogue.horaires) as Elasticsearch integer ranges:
    [{"gte": start, "lt": end}, …] in minutes of the week."""
    return [{"gte": start, "lt": end} for start, end in horaires.weekly_intervals(opening_hours)]


def title_of(service):
    """The service's name and the labels of its thématiques."""
    return " ".join([service.nom, *(label("thematiques", slug) for slug in service.thematiques)])


def context_of(service):
    """What frames the service: its categories, its publics and its structure's name (broader
    than its title: « Logement et hébergement » is the category of every housing service)."""
    categories = sorted({categorie_of(slug) for slug in service.thematiques})
    return " ".join(
        [
            *(label("categories", slug) for slug in categories),
            *(label("publics", slug) for slug in service.publics),
            service.structure.nom,
        ]
    )


def text_of(service):
    """Everything a service is found by: title, context, description."""
    return " ".join([title_of(service), context_of(service), service.description])


def document(service):
    modes = effective_modes_accueil(service)
    lieu = service.lieu_accueil
    record = payload(service)
    return {
        "id": service.pk,
        "identifiant": service.identifiant,
        "latitude": lieu.latitude,
        "longitude": lieu.longitude,
        "sur_place": EN_PRESENTIEL in modes,
        "a_distance": A_DISTANCE in modes,
        "tokens": document_tokens(title_of(service), context_of(service), text_of(service)),
        **{facet.name: facet.values(service) for facet in FACETS},
        "zones": sorted(service.zone_eligibilite),
        "contact_public": service.contact_public,
        "date_maj": service.date_maj.isoformat(),
        "perime_le": fraicheur.peremption(service.date_maj, service.frequence_maj).isoformat(),
        "fuseau": record["fuseau_horaire"],
        "ouverture": opening_ranges(service.horaires),
        "payload": record,
    }
