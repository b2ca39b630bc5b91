from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from config.forms import errors_text
from saved_searches import services
from saved_searches.enums import AlertFrequency
from saved_searches.forms import FrequencyForm, SaveSearchForm
from saved_searches.models import SavedSearch


@login_required
def save(request):
    """Names the search of the query string (the search page's parameters) and chooses its
    alert; a search that cannot be saved says why, on the page and on submission."""
    parameters = services.parameters_of(request.GET)
    form = SaveSearchForm(
        request.POST if request.method == "POST" else None,
        owner=request.user, parameters=parameters,
    )  # fmt: skip
    if form.is_bound and form.is_valid():
        saved_search = form.save()
        messages.success(request, f"Recherche « {saved_search.name} » enregistrée.")
        return redirect("saved_searches:list")
    try:
        summary, problem = services.summary(services.check(parameters, request.user)), ""
    except ValidationError as error:
        summary, problem = [], error.message
    context = {
        "form": form,
        "summary": summary,
        "problem": problem,
        "search_url": services.search_url(parameters),
    }
    return render(
        request, "saved_searches/enregistrer.html", context, status=400 if form.is_bound else 200
    )


def _row(saved_search):
    form = services.search_form(saved_search.parameters)
    return {
        "saved_search": saved_search,
        "summary": services.summary(form) if form.is_valid() else [],
        "errors": "" if form.is_valid() else errors_text(form),
        "search_url": services.search_url(saved_search.parameters),
    }


@login_required
def mes_recherches(request):
    """« Mes recherches »: each saved search, to run again, change its alert or delete."""
    rows = [_row(saved) for saved in SavedSearch.objects.owned_by(request.user)]
    return render(
        request,
        "saved_searches/mes_recherches.html",
        {"rows": rows, "frequencies": AlertFrequency.choices},
    )


@login_required
@require_POST
def change_frequency(request, pk):
    saved_search = get_object_or_404(SavedSearch.objects.owned_by(request.user), pk=pk)
    form = FrequencyForm(request.POST)
    if form.is_valid():
        services.set_frequency(saved_search, form.cleaned_data["frequency"])
        messages.success(
            request,
            f"Alerte de « {saved_search.name} » : {saved_search.get_frequency_display().lower()}.",
        )
    else:
        messages.error(request, "Choisissez une fréquence d'alerte proposée.")
    return redirect("saved_searches:list")


@login_required
@require_POST
def delete(request, pk):
    saved_search = get_object_or_404(SavedSearch.objects.owned_by(request.user), pk=pk)
    saved_search.delete()
    messages.success(request, f"Recherche « {saved_search.name} » supprimée.")
    return redirect("saved_searches:list")


# The mail client's one-click unsubscribe (RFC 8058) POSTs to the link without a CSRF token:
# the signed link is the entitlement.
@csrf_exempt
def unsubscribe(request, token):
    """The alert's link, no login needed: a page with one button (a GET never changes
    anything, so that mail scanners opening links unsubscribe no one); its POST turns the
    alerts off."""
    try:
        saved_search = services.of_unsubscribe_token(token)
    except (signing.BadSignature, SavedSearch.DoesNotExist):
        return render(request, "saved_searches/lien_invalide.html", status=404)
    if request.method == "POST":
        services.unsubscribe(saved_search)
    return render(
        request,
        "saved_searches/desabonnement.html",
        {"saved_search": saved_search, "done": request.method == "POST"},
    )
