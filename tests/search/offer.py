"""A small offer laid out north of a town hall, for the ranking tests (API and browser)."""

from search import sync
from territoires.models import Commune
from tests.factories import ServiceFactory, StructureFactory

KM_PER_DEGREE = 111.2


def lay_out(code_insee, offer):
    """Creates {nom: (km north of the commune's town hall, thématique, description)} — each
    service in its own structure, without publics or zone — then indexes everything in full
    (the corpus statistics the ranking weighs words with come with a full index)."""
    town_hall = Commune.objects.get(pk=code_insee)
    for nom, (km, thematique, description) in offer.items():
        point = {"latitude": town_hall.latitude + km / KM_PER_DEGREE}
        point |= {"longitude": town_hall.longitude, "code_insee": code_insee}
        ServiceFactory(
            nom=nom, thematiques=[thematique], description=description, publics=[],
            zone_eligibilite=[], structure=StructureFactory(nom=f"Association {nom}"), **point,
        )  # fmt: skip
    sync.rebuild_database_index()
