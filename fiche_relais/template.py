"""The fiche relais SPIE 13 (seed 001, « LA FICHE RELAIS SPIE »): its rows, in its order, grouped
in the steps of the form, and the socle commun de diagnostic grid with a status scale fitted to
each item. The mapping row by row is in the README (« Fiche relais : le modèle SPIE 13 »).

A version's content is a dict: one text per field of STEPS, `diagnostic`: for each item of the
grid {"statut": …, "commentaire": …}, and `grille`: the grid the version was written with,
[[slug, label, sphere, scale], …] in order, so that a version keeps being displayed with the grid
of its time when the socle changes. Versions written before `grille` existed are read with
`grid_of`. The person's name, first name, e-mail and phone (rows of the template, named
`personne.…` below) are read from her record (`Personne`), not copied into the content.
"""

from dataclasses import dataclass

from prescription.socle import SPHERES


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    fields: tuple  # ((name, label), …)
    intro: str = ""


STEPS = (
    Step("personne", "Personne accompagnée", (
        ("personne.nom", "Nom"),
        ("personne.prenom", "Prénom"),
        ("date_entree", "Date d'entrée dans le dispositif"),
        ("structure", "Structure"),
        ("reference", "Référence"),
        ("personne.contact", "Mail et tél."),
        ("contact_referent", "Contact du référent d'étape (tél. et mail)"),
        ("contact_precedent", "Contact du précédent référent (tél. et mail)"),
    )),
    Step("historique", "Historique de l'accompagnement et diagnostic", (
        ("historique", "Historique de l'accompagnement, diagnostic"),
        ("vision_globale", "Vision globale des principales étapes pour les parcours longs"),
        ("analyse_etapes", "Analyse fine des étapes du parcours"),
        ("diagnostic_synthese", "Diagnostic"),
        ("freins_identifies_leves", "Freins identifiés, levés"),
        ("accompagnement_pro", "Accompagnement pro"),
        ("preconisation", "Préconisation explicitée"),
    )),
    Step("socle", "Socle commun de diagnostic", (), intro=(
        "Renseignez-le avec la personne : pour chaque item, où elle en est et un commentaire."
    )),
    Step("amont", "Amont, origine de l'orientation", (
        ("amont_qui", "Qui a orienté la personne à l'origine ?"),
        ("amont_comment", "Comment ?"),
        ("amont_pourquoi", "Pourquoi ? Quels étaient les objectifs de l'orientation ?"),
    )),
    Step("approche-personnelle", "Approche personnelle", (
        ("freins_travailles", "Différents freins identifiés et synthèse sur les éléments travaillés"),
        ("perso_analyse", "Analyse du professionnel / Suites préconisées"),
    ), intro="Synthèse sur les freins travaillés au cours de l'accompagnement."),
    Step("approche-professionnelle", "Approche professionnelle", (
        ("projet_professionnel", "Projet professionnel travaillé"),
        ("actions_emploi", "Actions emploi / activité réalisées / non réalisées"),
        ("formations", "Formations proposées / réalisées / non réalisées"),
        ("pro_analyse", "Analyse du professionnel / Suites préconisées"),
    )),
    Step("objectifs", "Objectifs de la réorientation", (
        ("objectif_quoi", "Quoi"),
        ("objectif_pourquoi", "Pourquoi"),
        ("objectif_quand", "Quand"),
        ("prochaines_etapes", "Prochaines étapes"),
        ("integration_contrat", "Intégration au contrat (CER, PPAE, CEJ, PACEA, contrat PLIE…)"),
    )),
)  # fmt: skip
STEPS_BY_SLUG = {step.slug: step for step in STEPS}
DIAGNOSTIC_STEP = "socle"
# Rows read from the person's record, not written in the fiche.
FROM_PERSON = "personne."

TEXT_FIELDS = [
    name for step in STEPS for name, _ in step.fields if not name.startswith(FROM_PERSON)
]
LABELS = {name: label for step in STEPS for name, label in step.fields}


def written_fields(step):
    """The rows of `step` the référent writes: [(name, label)]."""
    return [(name, label) for name, label in step.fields if not name.startswith(FROM_PERSON)]


# The status scales: a frein is identified then lifted; an asset is spotted then put to use;
# expectations are voiced then taken into the parcours (seed 001, diagnostic phase 3:
# « Révéler les atouts + identifier les freins potentiels »).
FREIN, ATOUT, ATTENTE = "frein", "atout", "attente"
SCALES = {
    FREIN: [
        ("frein-identifie", "Frein identifié"),
        ("en-cours", "Levée en cours"),
        ("leve", "Levé"),
        ("sans-objet", "Sans objet"),
    ],
    ATOUT: [
        ("atout-identifie", "Atout identifié"),
        ("a-developper", "À développer"),
        ("mobilise", "Mobilisé dans le parcours"),
        ("sans-objet", "Sans objet"),
    ],
    ATTENTE: [
        ("exprimee", "Exprimé par la personne"),
        ("a-preciser", "À préciser"),
        ("prise-en-compte", "Pris en compte dans le parcours"),
        ("sans-objet", "Sans objet"),
    ],
}
ATOUTS = {"parcours-experiences", "aptitudes-atouts", "centres-interet"}
ATTENTES = {"attentes-personnelles", "attentes-professionnelles", "aspirations",
            "projection-parcours"}  # fmt: skip
EVERY_STATUT = {value: text for scale in SCALES.values() for value, text in scale}


def scale_of(slug):
    if slug in ATOUTS:
        return ATOUT
    return ATTENTE if slug in ATTENTES else FREIN


def current_grid():
    """The socle commun de diagnostic today: [[slug, label, sphere, scale], …]."""
    return [
        [slug, label, sphere, scale_of(slug)] for sphere, items in SPHERES for slug, label in items
    ]


def grid_of(content):
    """The grid a version was written with. For a version older than `grille`: its own items,
    in today's order, with today's labels (an item since removed keeps its slug as label)."""
    if "grille" in content:
        return content["grille"]
    graded = content.get("diagnostic", {})
    today = {row[0]: row for row in current_grid()}
    return [today[slug] for slug in today if slug in graded] + [
        [slug, slug, "", FREIN] for slug in graded if slug not in today
    ]


def statut_label(value):
    """The words for a status, whichever scale (or older scale) it comes from."""
    return EVERY_STATUT.get(value, value)


def diagnostic_rows(content):
    """[(label, sphere, statut label, commentaire)] of a version, with the grid of its time."""
    graded = content.get("diagnostic", {})
    return [
        (label, sphere, statut_label(graded.get(slug, {}).get("statut", "")),
         graded.get(slug, {}).get("commentaire", ""))
        for slug, label, sphere, _ in grid_of(content)
    ]  # fmt: skip


def with_current_grid(content):
    """`content` carried over to today's grid: new items empty, the others kept."""
    graded = content.get("diagnostic", {})
    grid = current_grid()
    return content | {
        "grille": grid,
        "diagnostic": {
            slug: graded.get(slug, {"statut": "", "commentaire": ""}) for slug, *_ in grid
        },
    }


def empty_content():
    return with_current_grid(dict.fromkeys(TEXT_FIELDS, ""))


def changes(before, after):
    """What changed from one version's content to the next: [(label, before, after)]."""
    found = [
        (LABELS[name], before.get(name, ""), after.get(name, ""))
        for name in TEXT_FIELDS
        if before.get(name, "") != after.get(name, "")
    ]
    labels = {row[0]: f"{row[2]} : {row[1]}" for row in grid_of(before) + grid_of(after)}
    for slug, label in labels.items():
        old = before.get("diagnostic", {}).get(slug, {})
        new = after.get("diagnostic", {}).get(slug, {})
        if _describe(old) != _describe(new):
            found.append((label, _describe(old), _describe(new)))
    return found


def _describe(item):
    statut = statut_label(item.get("statut", ""))
    return " — ".join(part for part in (statut, item.get("commentaire", "")) if part)


def sections(content, personne):
    """[(title, rows)] of a version, every row of the template in its order: rows are
    [(label, value)], or None for the socle step (read `diagnostic_rows`)."""
    contact = " · ".join(part for part in (personne.courriel, personne.telephone) if part)
    from_person = {"personne.nom": personne.nom, "personne.prenom": personne.prenom,
                   "personne.contact": contact}  # fmt: skip
    return [
        (step.title, None if step.slug == DIAGNOSTIC_STEP else [
            (label, from_person[name] if name in from_person else content.get(name, ""))
            for name, label in step.fields
        ])
        for step in STEPS
    ]  # fmt: skip
