from django.http import JsonResponse

from territoires.services import search_communes

MIN_CHARS = 2


def communes_autocomplete(request):
    """GET ?q=mars → {"results": [{"code_insee", "nom", "departement", "codes_postaux"}]}"""
    text = request.GET.get("q", "").strip()
    if len(text) < MIN_CHARS:
        return JsonResponse(
            {"errors": {"q": [f"Saisissez au moins {MIN_CHARS} caractères."]}}, status=400
        )
    return JsonResponse(
        {
            "results": [
                {
                    "code_insee": c.code_insee,
                    "nom": c.nom,
                    "departement": c.departement_id,
                    "codes_postaux": sorted(cp.code for cp in c.codes_postaux.all()),
                }
                for c in search_communes(text)
            ]
        }
    )
