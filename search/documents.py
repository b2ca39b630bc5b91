"""What the search indexes for a service: built here once, stored by both backends."""

import functools

from django.urls import reverse

from catalogue import fraicheur
from catalogue.data_inclusion import service_record
from catalogue.models import Service
from catalogue.referentiels import A_DISTANCE, EN_PRESENTIEL, label
from search.facets import FACETS, effective_modes_accueil
from search.text import tokens


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
    data["precision_position"] = service.precision or None
    return data


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
        **{facet.name: facet.values(service) for facet in FACETS},
        "zones": sorted(service.zone_eligibilite),
        "contact_public": service.contact_public,
        "date_maj": service.date_maj.isoformat(),
        "perime_le": fraicheur.peremption(service.date_maj, service.frequence_maj).isoformat(),
        "payload": payload(service),
    }
