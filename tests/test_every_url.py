"""Every URL of the project, generated from the URL conf, visited by an anonymous visitor and by
an unrelated professional: never a server error, and never the name of a person (planted in a
prescription, a parcours and a fiche relais) in what they receive. Integer parts of a URL are
tried with the ids of every object planted, tokens with a forged value."""

import re

import pytest

from fiche_relais import services as fiche_services
from fiche_relais.models import Consentement, Personne
from tests.factories import (
    CoordinationFactory,
    MembreFactory,
    PrescriptionFactory,
    ServiceFactory,
    UserFactory,
)  # fmt: skip
from tests.url_walk import body, project_routes

pytestmark = pytest.mark.django_db

SECRET_NAME = "Zéphirine"
PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>")


def _urls(ids):
    for route in project_routes():
        if "<int:" not in route:
            yield "/" + PARAMETER.sub("forged", route)
            continue
        for pk in ids:
            yield "/" + PARAMETER.sub(
                lambda m, pk=pk: str(pk) if m.group(1) == "int" else "x", route
            )


@pytest.fixture
def planted():
    service = ServiceFactory()
    prescription = PrescriptionFactory(service=service, prenom=SECRET_NAME, nom="Quintal")
    referent = MembreFactory().user
    personne = Personne.objects.create(
        nom="Quintal", prenom=SECRET_NAME, commune_id="13005", cree_par=referent
    )
    Consentement.objects.create(personne=personne, mode=Consentement.Mode.ACCORD,
                                recueilli_par=referent)  # fmt: skip
    referent_structure = referent.memberships.get().structure
    fiche = fiche_services.nouvelle_fiche(personne, referent, referent_structure)
    CoordinationFactory(membres=[UserFactory()])
    ids = {service.pk, service.structure_id, prescription.pk, personne.pk, fiche.pk, 1, 2}
    return sorted(ids)


@pytest.mark.parametrize("who", ["anonymous", "outsider"])
def test_no_url_errors_or_shows_a_person_to_someone_not_entitled(client, planted, who):
    if who == "outsider":
        client.force_login(UserFactory())
    visited = 0
    routes = project_routes()
    for url in _urls(planted):
        for method in (client.get, client.post):
            response = method(url)
            visited += 1
            assert response.status_code < 500, (method.__name__, url, response.status_code)
            content = body(response)
            assert SECRET_NAME.encode() not in content, (method.__name__, url)
            assert "Zéphirine".encode("latin-1") not in content, (method.__name__, url)
    assert len(routes) >= 45 and visited >= 2 * len(routes)  # the whole URL conf was walked


def test_the_planted_name_is_found_where_it_is_entitled(client, planted):
    """The check above can fail: the prescripteur does see the name."""
    from prescription.models import Prescription

    prescription = Prescription.objects.get(prenom=SECRET_NAME)
    client.force_login(prescription.prescripteur)

    assert SECRET_NAME.encode() in client.get(f"/prescriptions/{prescription.pk}/").content
