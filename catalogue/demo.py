"""A realistic, deterministic demo catalogue in the seeds' territories, as data·inclusion v1 records.

The records go through the same importer as real data (`catalogue.importer`), so the demo also
exercises validation. Same seed, same catalogue.
"""

import json
import math
import random
from dataclasses import dataclass
from datetime import date, timedelta

from catalogue.validators import luhn_is_valid
from territoires.models import Commune

DEMO_SOURCE = "demo"
DEMO_DEPARTEMENTS = ["13", "07", "81", "67"]
TODAY = date(2026, 11, 1)


@dataclass(frozen=True)
class ServiceModel:
    nom: str
    thematiques: tuple[str, ...]
    type: str
    publics: tuple[str, ...]
    intro: str


@dataclass(frozen=True)
class Typologie:
    nom: str  # {commune} or {nom} are filled in
    reseaux: tuple[str, ...]
    services: tuple[ServiceModel, ...]
    zone: str  # commune | epci | departement | france


MOBILITE = (
    ServiceModel(
        "Aide au financement du permis de conduire",
        ("mobilite--preparer-un-permis", "mobilite--financer-ma-mobilite"),
        "aide-financiere",
        ("demandeurs-emploi", "jeunes"),
        "Une aide pour financer une partie du permis B lorsque l'absence de permis empêche de reprendre un emploi ou une formation.",
    ),
    ServiceModel(
        "Location solidaire de voitures et de scooters",
        ("mobilite--acceder-a-un-vehicule",),
        "aide-materielle",
        ("demandeurs-emploi", "beneficiaires-des-minimas-sociaux"),
        "Des véhicules loués à petit prix pour se rendre au travail, en formation ou à un entretien d'embauche, le temps de trouver une solution durable.",
    ),
    ServiceModel(
        "Conseil en mobilité",
        (
            "mobilite--etre-accompagne-dans-son-parcours-mobilite",
            "mobilite--mobilite-douce-partagee-collective",
        ),
        "accompagnement",
        ("tous-publics",),
        "Un conseiller fait le point sur vos trajets, vos horaires et vos moyens, puis construit avec vous un plan pour vous déplacer en autonomie.",
    ),
    ServiceModel(
        "Garage solidaire",
        ("mobilite--entretenir-reparer-son-vehicule",),
        "aide-materielle",
        ("beneficiaires-des-minimas-sociaux",),
        "Réparations et entretien de véhicules à coût réduit, avec la possibilité d'apprendre les gestes de base avec un mécanicien.",
    ),
)
LOGEMENT = (
    ServiceModel(
        "Accès au logement et maintien dans les lieux",
        (
            "logement-hebergement--louer-un-logement",
            "logement-hebergement--se-maintenir-dans-le-logement",
        ),
        "accompagnement",
        ("beneficiaires-des-minimas-sociaux", "familles"),
        "Un accompagnement pour constituer une demande de logement social, préparer l'entrée dans les lieux et éviter les impayés.",
    ),
    ServiceModel(
        "Hébergement d'urgence et de stabilisation",
        ("logement-hebergement--rechercher-une-solution-dhebergement-temporaire",),
        "accompagnement",
        ("personnes-en-situation-durgence",),
        "Des places d'hébergement temporaire, avec un travailleur social qui aide à reconstruire un projet de logement.",
    ),
    ServiceModel(
        "Prévention des expulsions locatives",
        ("logement-hebergement--reduire-les-impayes-de-loyer",),
        "accompagnement",
        ("tous-publics",),
        "Une aide pour négocier un plan d'apurement avec le bailleur et mobiliser les aides du fonds de solidarité logement.",
    ),
)
FAMILLE = (
    ServiceModel(
        "Garde d'enfants ponctuelle pour reprendre un emploi",
        ("famille--garde-denfants",),
        "accompagnement",
        ("familles", "femmes"),
        "Des places d'accueil réservées aux parents qui reprennent un emploi, une formation ou qui passent des entretiens, y compris en horaires décalés.",
    ),
    ServiceModel(
        "Soutien à la parentalité",
        ("famille--soutien-a-la-parentalite-et-a-leducation",),
        "atelier",
        ("familles",),
        "Des rencontres entre parents et des entretiens individuels pour échanger sur l'éducation et trouver des relais près de chez soi.",
    ),
    ServiceModel(
        "Écoute et accompagnement des victimes de violences",
        ("famille--surmonter-conflits-separation-violence",),
        "accompagnement",
        ("femmes",),
        "Une écoute confidentielle, une information sur les droits et un accompagnement dans les démarches juridiques et sociales.",
    ),
)
EMPLOI = (
    ServiceModel(
        "Atelier CV et lettre de motivation",
        ("preparer-sa-candidature--realiser-un-cv-et-ou-une-lettre-de-motivation",),
        "atelier",
        ("demandeurs-emploi",),
        "En petit groupe, on rédige ou on met à jour son CV et une lettre de motivation adaptée aux offres du territoire.",
    ),
    ServiceModel(
        "Préparation aux entretiens d'embauche",
        ("trouver-un-emploi--convaincre-un-recruteur-en-entretien",),
        "atelier",
        ("demandeurs-emploi", "jeunes"),
        "Des simulations d'entretien avec des professionnels du recrutement, pour gagner en aisance et savoir présenter son parcours.",
    ),
    ServiceModel(
        "Accompagnement renforcé vers l'emploi",
        (
            "trouver-un-emploi--repondre-a-des-offres-demploi",
            "preparer-sa-candidature--valoriser-ses-competences",
        ),
        "accompagnement",
        ("beneficiaires-des-minimas-sociaux", "demandeurs-emploi"),
        "Un référent unique accompagne la personne dans sa recherche d'emploi, avec des rendez-vous réguliers et des mises en relation avec des employeurs.",
    ),
    ServiceModel(
        "Découverte des métiers en tension",
        ("choisir-un-metier--decouvrir-un-metier-ou-un-secteur-dactivite",),
        "information",
        ("tous-publics",),
        "Des visites d'entreprises et des immersions courtes pour découvrir des métiers qui recrutent près de chez soi.",
    ),
    ServiceModel(
        "Contrat à durée déterminée d'insertion",
        (
            "trouver-un-emploi--maintien-dans-lemploi",
            "choisir-un-metier--identifier-ses-points-forts-et-ses-competences",
        ),
        "accompagnement",
        ("beneficiaires-des-minimas-sociaux", "demandeurs-emploi"),
        "Un emploi salarié sur un chantier d'insertion, avec un encadrement technique et un accompagnement socioprofessionnel pour préparer la suite.",
    ),
)
NUMERIQUE = (
    ServiceModel(
        "Accompagnement aux démarches en ligne",
        (
            "numerique--acceder-a-des-services-en-ligne",
            "difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives",
        ),
        "accompagnement",
        ("tous-publics",),
        "Un conseiller numérique aide à créer ses comptes en ligne, à déclarer ses ressources et à suivre ses dossiers administratifs.",
    ),
    ServiceModel(
        "Initiation à l'informatique",
        ("numerique--maitriser-les-fondamentaux-du-numerique",),
        "formation",
        ("seniors", "demandeurs-emploi"),
        "Des séances pour apprendre à utiliser un ordinateur, un smartphone, la messagerie et les sites utiles à la recherche d'emploi.",
    ),
    ServiceModel(
        "Ordinateurs reconditionnés à petit prix",
        ("numerique--acquerir-un-equipement",),
        "aide-materielle",
        ("beneficiaires-des-minimas-sociaux",),
        "Des ordinateurs et des tablettes remis en état, vendus à prix solidaire avec une prise en main incluse.",
    ),
)
SOCIAL = (
    ServiceModel(
        "Point conseil budget",
        (
            "difficultes-financieres--ameliorer-sa-gestion-budgetaire",
            "difficultes-financieres--situation-dendettement-surendettement",
        ),
        "accompagnement",
        ("tous-publics",),
        "Un conseil gratuit et confidentiel pour faire le point sur son budget, prévenir le surendettement et constituer un dossier si besoin.",
    ),
    ServiceModel(
        "Accès aux droits et aux aides sociales",
        ("difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits",),
        "accompagnement",
        ("tous-publics",),
        "Un travailleur social vérifie les droits ouverts (RSA, prime d'activité, complémentaire santé, aides au logement) et aide à les demander.",
    ),
    ServiceModel(
        "Épicerie solidaire",
        ("equipement-et-alimentation--alimentation",),
        "aide-materielle",
        ("beneficiaires-des-minimas-sociaux", "familles"),
        "Des produits alimentaires et d'hygiène à prix réduit, et des ateliers cuisine pour mieux manger avec un petit budget.",
    ),
    ServiceModel(
        "Cours de français pour adultes",
        ("lecture-ecriture-calcul--maitriser-le-francais",),
        "formation",
        ("personnes-exilees",),
        "Des cours de français à l'oral et à l'écrit, du niveau débutant au niveau nécessaire pour travailler ou suivre une formation.",
    ),
)
SANTE = (
    ServiceModel(
        "Bilan de santé et accès aux soins",
        ("sante--acces-aux-soins",),
        "accompagnement",
        ("tous-publics",),
        "Un bilan de santé gratuit, l'aide à l'ouverture des droits à l'assurance maladie et l'orientation vers des médecins près de chez soi.",
    ),
    ServiceModel(
        "Soutien psychologique",
        ("sante--sante-mentale", "remobilisation--bien-etre-confiance-en-soi"),
        "accompagnement",
        ("tous-publics",),
        "Des entretiens avec un psychologue pour traverser une période difficile, reprendre confiance et se projeter à nouveau.",
    ),
)
FORMATION = (
    ServiceModel(
        "Trouver et financer sa formation",
        ("se-former--trouver-sa-formation", "se-former--monter-son-dossier-de-formation"),
        "accompagnement",
        ("demandeurs-emploi", "jeunes"),
        "Un conseiller aide à choisir une formation qualifiante, à vérifier les prérequis et à monter le dossier de financement.",
    ),
)

TYPOLOGIES = (
    Typologie("CCAS de {commune}", ("ccas-cias",), SOCIAL + LOGEMENT[:1], "commune"),
    Typologie(
        "Mission locale {commune}", ("mission-locale",), EMPLOI + FORMATION + MOBILITE[:1], "epci"
    ),
    Typologie("France Travail {commune}", ("france-travail",), EMPLOI[:4] + FORMATION, "epci"),
    Typologie(
        "Maison départementale des solidarités de {commune}",
        ("maisons-des-solidarites", "departements"),
        SOCIAL + FAMILLE,
        "departement",
    ),
    Typologie(
        "Association {nom}",
        ("federation-des-acteurs-de-la-solidarite",),
        LOGEMENT + SOCIAL[2:],
        "departement",
    ),
    Typologie("Chantier d'insertion {nom}", ("aci", "inae"), EMPLOI[4:] + EMPLOI[:1], "epci"),
    Typologie("Plateforme mobilité {nom}", ("wimoov",), MOBILITE, "departement"),
    Typologie("Relais petite enfance de {commune}", ("communes",), FAMILLE[:2], "commune"),
    Typologie(
        "Espace France services de {commune}",
        ("france-service",),
        NUMERIQUE[:1] + SOCIAL[1:2],
        "epci",
    ),
    Typologie("Centre social {nom}", ("fcsf",), NUMERIQUE + FAMILLE[1:2] + SOCIAL[3:], "commune"),
    Typologie("PLIE {nom}", ("plie",), EMPLOI[2:3] + FORMATION, "epci"),
    Typologie("Centre de santé {nom}", ("cms",), SANTE, "departement"),
    Typologie(
        "Association d'aide aux victimes {nom}",
        ("cidff",),
        FAMILLE[2:] + SOCIAL[1:2],
        "departement",
    ),
    Typologie("Ressourcerie {nom}", ("ressourceries",), NUMERIQUE[2:] + EMPLOI[4:], "france"),
)

NOMS = (
    "Les Tournesols",
    "L'Escale",
    "Le Relais",
    "Horizons",
    "La Passerelle",
    "Tremplin",
    "Solid'Action",
    "Cap Avenir",
    "Le Trait d'Union",
    "Les Oliviers",
    "Rebond",
    "L'Étape",
    "Entraide et Partage",
    "Le Phare",
    "Les Platanes",
    "Nouveau Départ",
    "Cité Solidaire",
    "L'Envol",
    "Les Jardins du Lien",
    "La Clé",
    "Pas à Pas",
    "L'Atelier du Possible",
    "Main Tendue",
    "Les Cigales",
)
VOIES = (
    "rue de la République",
    "avenue Jean Jaurès",
    "place de la Mairie",
    "boulevard Victor Hugo",
    "rue Pasteur",
    "chemin des Écoles",
    "rue du Marché",
    "avenue de la Gare",
    "rue Émile Zola",
    "impasse des Tilleuls",
    "cours Gambetta",
    "rue des Vignes",
)
HORAIRES = (
    "Mo-Fr 09:00-12:00,13:30-17:00",
    "Mo-Th 08:30-12:30,13:30-17:30; Fr 08:30-12:30",
    "Tu,Th 14:00-17:00",
    "Mo-Fr 09:00-17:00",
    "We 09:00-12:00; Sa 10:00-12:00",
    "Mo,We,Fr 09:00-12:30",
)
DETAILS = (
    "Le premier rendez-vous permet de faire le point sur la situation et les besoins de la personne.",
    "Les professionnels travaillent en lien avec le référent de parcours pour éviter de répéter les démarches.",
    "L'accueil se fait sans jugement, dans la confidentialité, avec un interprète si nécessaire.",
    "Un rendez-vous peut être proposé dans les quinze jours suivant la demande.",
    "Les personnes peuvent venir accompagnées d'un proche ou d'un professionnel.",
    "Des permanences ont lieu dans plusieurs communes du territoire pour limiter les déplacements.",
    "Le service est accessible aux personnes à mobilité réduite.",
    "Un bilan est réalisé à la fin de l'accompagnement et transmis, avec l'accord de la personne, au référent.",
)
CONDITIONS = (
    "Résider sur le territoire d'intervention.",
    "Être orienté par un professionnel de l'insertion.",
    "Être inscrit à France Travail ou bénéficiaire du RSA.",
    "Avoir entre 16 et 25 ans.",
    "",
)


def siret(rng):
    digits = "".join(rng.choice("0123456789") for _ in range(13))
    return next(digits + check for check in "0123456789" if luhn_is_valid(digits + check))


def _jitter(rng, latitude, longitude, max_km):
    distance = max_km * math.sqrt(rng.random())
    angle = rng.uniform(0, 2 * math.pi)
    dlat = distance * math.cos(angle) / 111.0
    dlon = distance * math.sin(angle) / (111.0 * math.cos(math.radians(latitude)))
    return round(latitude + dlat, 6), round(longitude + dlon, 6)


class DemoCatalogue:
    def __init__(self, seed=2026):
        self.rng = random.Random(seed)
        communes = list(
            Commune.objects.filter(departement_id__in=DEMO_DEPARTEMENTS, type=Commune.Type.COMMUNE)
            .prefetch_related("codes_postaux")
            .order_by("code_insee")
        )
        if not communes:
            raise RuntimeError(
                "Aucune commune chargée : lancez d'abord `manage.py load_territoires`."
            )
        self.communes = communes
        # Weight by population, softened so that villages get some services too.
        self.weights = [math.sqrt(c.population + 50) for c in communes]

    def _commune(self):
        return self.rng.choices(self.communes, weights=self.weights)[0]

    def _lieu(self, commune):
        latitude, longitude = _jitter(self.rng, commune.latitude, commune.longitude, 1.5)
        return {
            "adresse": f"{self.rng.randint(1, 120)} {self.rng.choice(VOIES)}",
            "code_postal": sorted(cp.code for cp in commune.codes_postaux.all())[0],
            "code_insee": commune.code_insee,
            "commune": commune.nom,
            "latitude": latitude,
            "longitude": longitude,
        }

    def _date_maj(self):
        return (TODAY - timedelta(days=self.rng.randint(0, 700))).isoformat()

    def structures(self, count):
        for index in range(count):
            typologie = self.rng.choice(TYPOLOGIES)
            commune = self._commune()
            nom = typologie.nom.format(commune=commune.nom, nom=self.rng.choice(NOMS))
            yield (
                typologie,
                commune,
                {
                    "source": DEMO_SOURCE,
                    "id": f"{DEMO_SOURCE}--structure-{index + 1}",
                    "nom": nom if len(nom) <= 150 else nom[:150],
                    "date_maj": self._date_maj(),
                    "description": f"{nom} accueille et accompagne les habitants de {commune.nom} et des environs. "
                    + " ".join(self.rng.sample(DETAILS, 2)),
                    "siret": siret(self.rng),
                    "telephone": f"0{self.rng.randint(1, 5)}{self.rng.randint(10000000, 99999999)}",
                    "courriel": f"contact{index + 1}@structure-demo.fr",
                    "horaires_accueil": self.rng.choice(HORAIRES),
                    "reseaux_porteurs": list(typologie.reseaux),
                    **self._lieu(commune),
                },
            )

    def _zone(self, kind, commune):
        return {
            "commune": [commune.code_insee],
            "epci": [commune.epci_id] if commune.epci_id else [commune.departement_id],
            "departement": [commune.departement_id],
            "france": ["france"],
        }[kind]

    def _modes_accueil(self):
        roll = self.rng.random()
        if roll < 0.10:
            return ["a-distance"]
        if roll < 0.25:
            return ["a-distance", "en-presentiel"]
        return ["en-presentiel"]

    def service(self, index, structure_id, typologie, commune):
        model = self.rng.choice(typologie.services)
        site = commune if self.rng.random() < 0.6 else self._commune()
        description = " ".join([model.intro, *self.rng.sample(DETAILS, self.rng.randint(2, 3))])
        conditions = self.rng.choice(CONDITIONS)
        zone_kind = (
            typologie.zone
            if self.rng.random() < 0.8
            else self.rng.choice(["commune", "epci", "departement", "france"])
        )
        record = {
            "source": DEMO_SOURCE,
            "id": f"{DEMO_SOURCE}--service-{index + 1}",
            "structure_id": structure_id,
            "nom": model.nom if self.rng.random() < 0.7 else f"{model.nom} — {site.nom}",
            "description": description,
            "date_maj": self._date_maj(),
            "type": model.type,
            "thematiques": list(model.thematiques),
            "frais": "gratuit" if self.rng.random() < 0.85 else "payant",
            "publics": list(model.publics),
            "conditions_acces": conditions or None,
            "modes_accueil": self._modes_accueil(),
            "zone_eligibilite": self._zone(zone_kind, site),
            "mobilisable_par": ["professionnels"]
            if self.rng.random() < 0.5
            else ["professionnels", "usagers"],
            "modes_mobilisation": self.rng.sample(
                ["envoyer-un-courriel", "telephoner", "se-presenter"], 2
            ),
            "telephone": f"0{self.rng.randint(1, 5)}{self.rng.randint(10000000, 99999999)}",
            "courriel": f"service{index + 1}@structure-demo.fr",
            "contact_nom_prenom": f"{self.rng.choice(PRENOMS)} {self.rng.choice(NOMS_FAMILLE)}",
            "horaires_accueil": self.rng.choice(HORAIRES) if self.rng.random() < 0.5 else None,
        }
        if record["modes_accueil"] != ["a-distance"]:
            record.update(self._lieu(site))
        return record

    def statut(self):
        """Most services are published; some are drafts or suspended."""
        roll = self.rng.random()
        if roll < 0.05:
            return "brouillon"
        if roll < 0.08:
            return "suspendu"
        return "publie"


PRENOMS = (
    "Camille",
    "Nadia",
    "Julien",
    "Sophie",
    "Karim",
    "Claire",
    "Thomas",
    "Leïla",
    "Marc",
    "Inès",
)
NOMS_FAMILLE = (
    "Martin",
    "Bernard",
    "Haddad",
    "Roux",
    "Fontaine",
    "Mercier",
    "Benali",
    "Girard",
    "Lambert",
    "Muller",
)


def write_demo_files(directory, structures=300, services=1500, seed=2026):
    """Writes structures.jsonl and services.jsonl (data·inclusion v1); returns the paths and
    the statut each service should end with (the importer publishes everything)."""
    catalogue = DemoCatalogue(seed)
    structure_rows = list(catalogue.structures(structures))
    structures_path = directory / "structures.jsonl"
    services_path = directory / "services.jsonl"
    with open(structures_path, "w", encoding="utf-8") as f:
        for _, _, record in structure_rows:
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
    statuts = {}
    with open(services_path, "w", encoding="utf-8") as f:
        for index in range(services):
            row = (
                structure_rows[index]
                if index < structures
                else catalogue.rng.choice(structure_rows)
            )
            typologie, commune, structure = row
            record = catalogue.service(index, structure["id"], typologie, commune)
            statuts[record["id"]] = catalogue.statut()
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
    return structures_path, services_path, statuts
