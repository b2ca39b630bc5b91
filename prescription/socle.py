"""The socle commun de diagnostic of the SPIE (seed 001): the spheres and items a diagnostic
looks at. Prescriptions tick the items identified as *freins*; fiches relais grade each one."""

SPHERE_PERSONNELLE = [
    ("situation-familiale-sociale", "Situation familiale / sociale"),
    ("situation-financiere", "Situation financière"),
    ("situation-administrative", "Situation administrative"),
    ("logement", "Logement"),
    ("sante", "Santé"),
    ("garde-enfants", "Garde d'enfants"),
    ("mobilite", "Mobilité"),
    ("langue", "Niveau de maîtrise de la langue"),
    ("centres-interet", "Centres d'intérêt"),
    ("attentes-personnelles", "Attentes"),
]
SPHERE_PROFESSIONNELLE = [
    ("parcours-experiences", "Parcours et expériences"),
    ("competences-formation", "Compétences et formation"),
    ("numerique", "Maîtrise du numérique"),
    ("aptitudes-atouts", "Aptitudes et atouts"),
    ("difficultes", "Difficultés rencontrées"),
    ("attentes-professionnelles", "Attentes"),
]
PROJECTION = [
    ("aspirations", "Aspirations et capacités en matière professionnelle"),
    ("projection-parcours", "Projection dans le parcours et accompagnement proposé"),
]
SPHERES = [
    ("Sphère personnelle", SPHERE_PERSONNELLE),
    ("Sphère professionnelle", SPHERE_PROFESSIONNELLE),
    ("Projection", PROJECTION),
]

# What a prescription can name as an obstacle (freins): the items that are difficulties.
FREINS = [
    (slug, label)
    for slug, label in SPHERE_PERSONNELLE + SPHERE_PROFESSIONNELLE
    if slug
    in {
        "situation-familiale-sociale", "situation-financiere", "situation-administrative",
        "logement", "sante", "garde-enfants", "mobilite", "langue", "numerique",
        "competences-formation",
    }
]  # fmt: skip
