"""A small catalogue around Cuges-les-Pins (Bouches-du-Rhône), 10–14 km from the Var border:
every rule of the search contract has a service that proves it."""

from catalogue.models import Service
from territoires.models import Commune
from tests.factories import ServiceFactory, StructureFactory

CUGES, AUBAGNE, LE_BEAUSSET, LA_CIOTAT = "13030", "13005", "83016", "13028"
ROQUEVAIRE, SAINT_CYR, AIX, LYON, PARIS = "13086", "83112", "13001", "69123", "75056"
MARSEILLE, MARSEILLE_1ER = "13055", "13201"
METROPOLE_AMP = "200054807"
PERMIS = "mobilite--preparer-un-permis"
VEHICULE = "mobilite--acceder-a-un-vehicule"
HEBERGEMENT = "logement-hebergement--rechercher-une-solution-dhebergement-temporaire"
NUMERIQUE = "numerique--acceder-a-des-services-en-ligne"

# key: (commune whose town hall is the service's point or None, attributes)
SERVICES = {
    "aubagne": (AUBAGNE, {"thematiques": [PERMIS], "type": "aide-financiere", "frais": "gratuit"}),
    "aubagne-cuges-seulement": (AUBAGNE, {"zone_eligibilite": [CUGES], "thematiques": [VEHICULE]}),
    "beausset-var-seulement": (LE_BEAUSSET, {"zone_eligibilite": ["83"]}),
    "beausset-ouvert": (LE_BEAUSSET, {"publics": ["jeunes"], "type": "accompagnement"}),
    "ciotat-metropole": (LA_CIOTAT, {"zone_eligibilite": [METROPOLE_AMP], "frais": "payant"}),
    "roquevaire-sans-mode": (
        ROQUEVAIRE,
        {
            "nom": "Hébergement d'urgence pour les femmes",
            "thematiques": [HEBERGEMENT],
            "publics": [],
            "modes_accueil": [],
        },
    ),
    "saint-cyr-tous-publics": (
        SAINT_CYR,
        {"thematiques": [NUMERIQUE], "publics": ["tous-publics"], "nom": "Ateliers numériques"},
    ),
    "aix-jeunes": (AIX, {"publics": ["jeunes"]}),
    "a-distance-france": (
        None,
        {"modes_accueil": ["a-distance"], "zone_eligibilite": ["france"], "type": "information"},
    ),
    "paris-sur-place-et-a-distance": (
        PARIS,
        {"modes_accueil": ["en-presentiel", "a-distance"], "thematiques": [VEHICULE]},
    ),
    "a-distance-var-seulement": (
        None,
        {"modes_accueil": ["a-distance"], "zone_eligibilite": ["83"]},
    ),
    "marseille-commune-seulement": (MARSEILLE, {"zone_eligibilite": [MARSEILLE]}),
    "lyon": (LYON, {}),
    # On site without an address of its own: found at its structure's, if it has one.
    "sur-place-sans-coordonnees": (None, {"structure__commune": None}),
    "sur-place-a-sa-structure": (None, {"structure__commune": LYON}),
    "brouillon": (CUGES, {"statut": Service.Statut.BROUILLON}),
    "structure-non-publiee": (CUGES, {"structure__est_publiee": False}),
}


def identifiant(key):
    return f"test--{key}"


def position_commune(key):
    """The commune whose town hall the service is searched at: its own, else (on site without
    coordinates) its structure's; None when it has no position."""
    code_insee, attributes = SERVICES[key]
    return code_insee or attributes.get("structure__commune")


def _point(code_insee):
    if not code_insee:
        return {"latitude": None, "longitude": None, "code_insee": "", "code_postal": ""}
    commune = Commune.objects.get(pk=code_insee)
    return {
        "latitude": commune.latitude, "longitude": commune.longitude, "code_insee": code_insee,
        "code_postal": "", "commune": commune.nom,
    }  # fmt: skip


def build_scenario():
    for key, (code_insee, fixed_attributes) in SERVICES.items():
        attributes = dict(fixed_attributes)
        structure_attributes = {"est_publiee": attributes.pop("structure__est_publiee", True)}
        if "structure__commune" in attributes:
            structure_attributes |= _point(attributes.pop("structure__commune"))
        ServiceFactory(
            identifiant=identifiant(key),
            structure=StructureFactory(**structure_attributes),
            **_point(code_insee),
            **attributes,
        )
