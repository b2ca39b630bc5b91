"""The fields of the fiche relais SPIE 13 (seed 001, « LA FICHE RELAIS SPIE »), in its order.

A version's content is a dict: one text per field below, plus `diagnostic`: for each item of
the socle commun de diagnostic, {"statut": …, "commentaire": …}.
"""

from prescription.socle import SPHERES

SECTIONS = [
    ("Personne accompagnée", [
        ("date_entree", "Date d'entrée dans le dispositif"),
        ("reference", "Référence"),
        ("contact_referent", "Contact du référent d'étape (tél. et mail)"),
        ("contact_precedent", "Contact du précédent référent (tél. et mail)"),
    ]),
    ("Historique et diagnostic", [
        ("historique", "Historique de l'accompagnement, diagnostic"),
        ("vision_globale", "Vision globale des principales étapes pour les parcours longs"),
        ("analyse_etapes", "Analyse fine des étapes du parcours"),
        ("accompagnement_pro", "Accompagnement pro"),
        ("preconisation", "Préconisation explicitée"),
    ]),
    ("Amont, origine de l'orientation", [
        ("amont_qui", "Qui a orienté la personne à l'origine ?"),
        ("amont_comment", "Comment ?"),
        ("amont_pourquoi", "Pourquoi ? Quels étaient les objectifs de l'orientation ?"),
    ]),
    ("Approche personnelle", [
        ("freins_travailles", "Différents freins identifiés et synthèse sur les éléments travaillés"),
        ("perso_analyse", "Analyse du professionnel / Suites préconisées"),
    ]),
    ("Approche professionnelle", [
        ("projet_professionnel", "Projet professionnel travaillé"),
        ("actions_emploi", "Actions emploi / activité réalisées / non réalisées"),
        ("formations", "Formations proposées / réalisées / non réalisées"),
        ("pro_analyse", "Analyse du professionnel / Suites préconisées"),
    ]),
    ("Objectifs de la réorientation", [
        ("objectif_quoi", "Quoi"),
        ("objectif_pourquoi", "Pourquoi"),
        ("objectif_quand", "Quand"),
        ("prochaines_etapes", "Prochaines étapes"),
    ]),
]  # fmt: skip

TEXT_FIELDS = [name for _, fields in SECTIONS for name, _ in fields]
LABELS = {name: label for _, fields in SECTIONS for name, label in fields}

DIAGNOSTIC_STATUTS = [
    ("", "Non renseigné"),
    ("frein-identifie", "Frein identifié"),
    ("en-cours", "En cours"),
    ("leve", "Levé"),
    ("sans-objet", "Sans objet"),
]
DIAGNOSTIC_ITEMS = [(slug, label, sphere) for sphere, items in SPHERES for slug, label in items]


def empty_content():
    content = dict.fromkeys(TEXT_FIELDS, "")
    content["diagnostic"] = {
        slug: {"statut": "", "commentaire": ""} for slug, *_ in DIAGNOSTIC_ITEMS
    }
    return content


def changes(before, after):
    """What changed from one version's content to the next: [(label, before, after)]."""
    found = [
        (LABELS[name], before.get(name, ""), after.get(name, ""))
        for name in TEXT_FIELDS
        if before.get(name, "") != after.get(name, "")
    ]
    for slug, label, sphere in DIAGNOSTIC_ITEMS:
        old = before.get("diagnostic", {}).get(slug, {})
        new = after.get("diagnostic", {}).get(slug, {})
        if old != new:
            found.append((f"{sphere} : {label}", _describe(old), _describe(new)))
    return found


def _describe(item):
    statut = dict(DIAGNOSTIC_STATUTS).get(item.get("statut", ""), "")
    return " — ".join(part for part in (statut, item.get("commentaire", "")) if part)
