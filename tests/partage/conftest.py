import pytest

from tests.factories import ServiceFactory, StructureFactory

PRIVATE_PHONE = "0491000000"
PRIVATE_EMAIL = "permis@tremplin.example.org"
STRUCTURE_PHONE = "0491112233"
STRUCTURE_EMAIL = "accueil@tremplin.example.org"


@pytest.fixture
def private_service():
    """A service whose contact is private, of a structure with a public phone and e-mail and
    an address of its own."""
    structure = StructureFactory(
        nom="Association Tremplin Sud",
        telephone=STRUCTURE_PHONE,
        courriel=STRUCTURE_EMAIL,
        adresse="5 boulevard National",
        horaires_accueil="Mo-Fr 09:00-12:00,14:00-17:00",
    )
    return ServiceFactory(
        structure=structure,
        nom="Aide au permis solidaire",
        conditions_acces="Avoir un projet professionnel. Apporter une pièce d'identité.",
        telephone=PRIVATE_PHONE,
        courriel=PRIVATE_EMAIL,
        contact_public=False,
    )
