from django.http import JsonResponse

from territoires.places import Candidate
from territoires.services import former_names_starting, search_communes, search_zones

MIN_CHARS = 2


def _suggestion(candidate):
    commune = candidate.commune
    return {
        "code_insee": commune.code_insee,
        "nom": candidate.nom,
        "departement": commune.departement_id,
        "codes_postaux": sorted(cp.code for cp in commune.codes_postaux.all()),
    }


def _too_short(text):
    if len(text) < MIN_CHARS:
        return JsonResponse(
            {"errors": {"q": [f"Saisissez au moins {MIN_CHARS} caractères."]}}, status=400
        )
    return None


def zones_autocomplete(request):
    """GET ?q=bouches → {"results": [{"code", "type", "nom", "libelle"}]}: the zones
    d'éligibilité (France, départements, EPCI, communes) the admin's picker offers."""
    text = request.GET.get("q", "").strip()
    if error := _too_short(text):
        return error
    return JsonResponse({"results": [z.as_json() for z in search_zones(text)]})


def communes_autocomplete(request):
    """GET ?q=mars → {"results": [{"code_insee", "nom", "departement", "codes_postaux"}]}: the
    communes, then the former names (« Cran-Gevrier (Annecy) », with the current commune's
    code), up to 10 in all."""
    text = request.GET.get("q", "").strip()
    if error := _too_short(text):
        return error
    candidates = [Candidate(commune) for commune in search_communes(text)]
    if not text.isdigit():
        former = former_names_starting(text, limit=10 - len(candidates))
        candidates += [Candidate(row.commune, row.nom) for row in former]
    return JsonResponse({"results": [_suggestion(candidate) for candidate in candidates]})
