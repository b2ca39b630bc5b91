"""A fixed, realistic mix of search queries for the benchmark and the backend-equality test:
where professionals search (populated communes of the catalogue's départements, sometimes a
point), what for (1–2 thématiques or categories), sometimes a word, a public, another distance."""

import random

from catalogue.referentiels import REFERENTIELS
from territoires.models import Commune

# Everyday words, and three with a typo (one edit: typo tolerance, search.vocabulary).
WORDS = ["permis", "logement", "atelier", "emploi", "numérique", "santé", "formation", "aide"]
WORDS += ["hebergment", "logemnt", "formaton"]
DISTANCES = ["20"] * 6 + ["10", "30", "50"]


def query_mix(count, departements, seed=2026):
    """`count` API parameter dicts, always the same for the same seed."""
    rng = random.Random(seed)
    communes = list(
        Commune.objects.filter(
            departement_id__in=departements, type=Commune.Type.COMMUNE, population__gte=2000
        ).order_by("code_insee")
    )
    weights = [commune.population for commune in communes]
    thematiques = [value for value, _ in REFERENTIELS["thematiques"]]
    categories = [value for value, _ in REFERENTIELS["categories"]]
    publics = [value for value, _ in REFERENTIELS["publics"]]
    queries = []
    for _ in range(count):
        commune = rng.choices(communes, weights)[0]
        if rng.random() < 0.2:
            params = {
                "lat": f"{commune.latitude + rng.uniform(-0.03, 0.03):.5f}",
                "lon": f"{commune.longitude + rng.uniform(-0.03, 0.03):.5f}",
            }
        else:
            params = {"code_commune": commune.code_insee}
        params["distance"] = rng.choice(DISTANCES)
        pool = categories if rng.random() < 0.5 else thematiques
        params["thematiques"] = ",".join(rng.sample(pool, rng.choice([1, 1, 2])))
        if rng.random() < 0.3:
            params["q"] = rng.choice(WORDS)
        if rng.random() < 0.1:
            params["publics"] = rng.choice(publics)
        if rng.random() < 0.1:
            params["page"] = "2"
        queries.append(params)
    return queries
