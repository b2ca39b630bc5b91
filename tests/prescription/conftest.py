import io
import uuid
import zipfile

import pytest

from catalogue.models import Membre
from tests.factories import MembreFactory, ServiceFactory, StructureFactory, UserFactory


@pytest.fixture
def service():
    return ServiceFactory(
        nom="Aide au permis", courriel="accueil@permis.example.org",
        conditions_acces="Être inscrit à France Travail.",
    )  # fmt: skip


@pytest.fixture
def prescripteur():
    return MembreFactory(
        structure=StructureFactory(nom="France Travail Aubagne"), role=Membre.Role.MEMBRE
    ).user


@pytest.fixture
def structure_member(service):
    return MembreFactory(structure=service.structure).user


@pytest.fixture
def outsider():
    return UserFactory()


def form_data(**overrides):
    data = {
        "nom": "Martin",
        "prenom": "Léa",
        "date_naissance": "1990-04-12",
        "commune": "Aubagne (13400)",
        "code_commune": "13005",
        "telephone": "06 00 00 00 00",
        "courriel": "lea.martin@example.org",
        "identifiant_france_travail": "1234567A",
        "freins": ["mobilite", "garde-enfants"],
        "motif": "Financer le permis B pour accepter un poste d'aide à domicile.",
        "attentes": "Commencer avant l'été.",
        "conditions_remplies": "on",
        "disponibilites": "Le matin",
        "consentement": "on",
        "cle_idempotence": str(uuid.uuid4()),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def archive(entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        for name, content in entries.items():
            zipped.writestr(name, content)
    return buffer.getvalue()


def zip_bomb(entry, expanded_mb=300):
    """An ODT of about 300 KB whose `entry` expands to `expanded_mb` MB of zeros."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zipped:
        if entry != "mimetype":
            zipped.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        with zipped.open(entry, "w") as handle:
            if entry == "mimetype":
                handle.write(b"application/vnd.oasis.opendocument.text")
            zeros = bytes(1 << 20)
            for _ in range(expanded_mb):
                handle.write(zeros)
    return buffer.getvalue()
