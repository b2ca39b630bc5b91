from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from catalogue.presentation import opening
from catalogue.referentiels import REFERENTIELS
from config.forms import errors_by_field
from search import besoins, ranking, suggestions
from search.facets import BY_NAME, FACETS, GROUPS
from search.forms import DAY_NAMES, TRUE, SearchForm
from search.query import DEFAULT_DISTANCE_KM
from search.services import search
from search.throttle import rate_limited
from territoires.fuseaux import PARIS


def visible_service(item, user):
    """The service as this user may see it: contact names to professionals only, and phone
    and e-mail to everyone only when the structure made them public."""
    service = dict(item.service)
    if not user.is_authenticated:
        service["contact_nom_prenom"] = None
        if not item.contact_public:
            service["telephone"] = service["courriel"] = None
    return service


def rounded(distance):
    return None if distance is None else round(distance, 2)


def _search_with_help(query, words):
    """(Results, the zero-result help or None) for the page and the API; a first page with
    nothing within the distance is recorded as an unmet need (search.besoins)."""
    results = search(query, also_count=suggestions.counted_by_help(query))
    besoins.record_if_unmet(query, results)
    return results, suggestions.zero_result_help(query, results, words)


# Searches only read (an unmet need is recorded in a transaction of its own): no transaction
# around the request, whose commit cost a twentieth of an API call.
@transaction.non_atomic_requests
@require_GET
@rate_limited
def api_search(request):
    """GET /api/v1/search/services — the search contract (see the README)."""
    form = SearchForm(request.GET)
    if not form.is_valid():
        body = {"errors": errors_by_field(form)}
        if form.candidates:
            body["candidats"] = [candidate.as_json() for candidate in form.candidates]
        return JsonResponse(body, status=400, json_dumps_params={"ensure_ascii": False})
    query = form.to_query(public=not request.user.is_authenticated)
    results, help = _search_with_help(query, form.cleaned_data["q"])
    response = JsonResponse(
        {
            "items": [
                {"service": visible_service(item, request.user), "distance": rounded(item.distance)}
                for item in results.items
            ],
            "total": results.total,
            "page": results.page,
            "size": results.size,
            "pages": results.pages,
            "tri": ranking.PERTINENCE if query.by_relevance else ranking.DISTANCE,
            "facets": results.facets,
            "suggestions": help.as_json() if help else None,
            "lieu": lieu.as_json() if (lieu := form.cleaned_data["lieu_compris"]) else None,
        },
        json_dumps_params={"ensure_ascii": False},
    )
    response["X-Search-Backend"] = results.backend
    return response


def _options(facet, results, selected, parent=None):
    """Checkboxes for the values found (with their counts) and the values already chosen; under
    a parent value, only its children."""
    counts = results.facets.get(facet.name, {}) if results else {}
    known = {value for value, _ in REFERENTIELS[facet.referentiel]}
    values = sorted(set(counts) | (selected & known))
    return [
        {
            "value": value,
            "referentiel": facet.referentiel,
            "count": counts.get(value, 0),
            "checked": value in selected,
        }
        for value in values
        if parent is None or facet.parent_of(value) == parent
    ]


def _facet_groups(form, results):
    """Each group of the registry, its values (counted under the other groups' choices), and
    under each value the values of the facet nested in it (a category's thématiques)."""
    groups = []
    for name, group in GROUPS.items():
        selected = set(form.cleaned_data.get(name) or [])
        nested = next((f for f in FACETS if f.group == name and f.parent), None)
        shown = BY_NAME[nested.parent] if nested else group
        options = _options(shown, results, selected)
        for option in options:
            children = _options(nested, results, selected, option["value"]) if nested else []
            option["children"] = children
            option["open"] = any(child["checked"] for child in children)
        groups.append({"field": name, "title": group.title, "options": options})
    return groups


def _opening(service, now):
    """The card's hours: read in French, open or closed now, in the service's time zone."""
    return opening(service["horaires_accueil"], service.get("fuseau_horaire", PARIS), now)


def _distance_choices(query):
    choices = {5, 10, 20, 30, 50, 100}
    if query:
        choices.add(query.distance_km)
    return sorted(choices)


@transaction.non_atomic_requests
@require_GET
def search_page(request):
    """The search page: list, map and facets; with htmx, only the results region is swapped."""
    form = SearchForm(request.GET)
    query = form.to_query(public=not request.user.is_authenticated) if form.is_valid() else None
    results, help = _search_with_help(query, form.cleaned_data["q"]) if query else (None, None)
    now = timezone.now()
    items = [
        {"pk": item.pk, "service": visible_service(item, request.user), "distance": item.distance,
         "horaires": _opening(item.service, now)}
        for item in results.items
    ] if results else []  # fmt: skip
    context = {
        "form": form,
        "query": query,
        "results": results,
        "items": items,
        "distances": _distance_choices(query),
        "selected_distance": query.distance_km if query else DEFAULT_DISTANCE_KM,
        "facet_groups": _facet_groups(form, results),
        "opening_filter": {
            "now": form.data.get("ouvert_maintenant") in TRUE,
            "day": form.data.get("ouvert_le", ""),
            "time": form.data.get("ouvert_a", ""),
            "days": DAY_NAMES,
        },
        "help": help,
        # Unless the person chose, the sort follows the words (a new search with words is by
        # relevance even after a search without).
        "sorts": [("", "Automatique : pertinence avec des mots, sinon distance"), *ranking.SORTS],
        "selected_sort": form.cleaned_data.get("tri", "") if query else "",
        "markers": [
            {
                "lat": item["service"]["latitude"],
                "lon": item["service"]["longitude"],
                "nom": item["service"]["nom"],
                "url": item["service"]["url"],
            }
            for item in items
            if item["distance"] is not None
        ],
    }
    return render(request, "search/search_page.html", context)
