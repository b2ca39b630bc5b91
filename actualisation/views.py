from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.models import Coordination
from actualisation import services
from actualisation.forms import CampagneForm
from actualisation.models import Campagne
from catalogue.models import Service
from config.forms import errors_text
from search import besoins


def confirmer(request, token):
    """The digest's one-click link: a page with one button (a GET never changes anything, so
    that mail scanners opening links confirm nothing)."""
    try:
        service = services.service_of_token(token)
    except signing.SignatureExpired:
        return render(request, "actualisation/lien_invalide.html", {"expired": True}, status=410)
    except (signing.BadSignature, Service.DoesNotExist):
        return render(request, "actualisation/lien_invalide.html", status=404)
    confirmed = False
    if request.method == "POST":
        services.confirm(service)
        confirmed = True
    return render(
        request,
        "actualisation/confirmer.html",
        {"service": service, "confirmed": confirmed, "modifier": services.edit_link(service)},
    )


def _coordinations(request):
    coordinations = list(Coordination.objects.filter(membres=request.user))
    if not coordinations:
        raise Http404
    return coordinations


@login_required
def coordination(request):
    """The coordination's view of its offer: hidden listings, quality tasks, campaigns, unmet
    needs."""
    coordinations = _coordinations(request)
    today = timezone.localdate()
    campagnes = Campagne.objects.filter(coordination__in=coordinations)
    return render(
        request,
        "actualisation/coordination.html",
        {
            "hidden": services.hidden_services(request.user, today),
            "tasks": services.open_tasks(request.user),
            "campagnes": [(c, services.response_rate(services.responses(c))) for c in campagnes],
            "form": CampagneForm(coordinations=coordinations),
            "besoins": besoins.table(request.user),
            "besoins_carte": besoins.map_points(request.user),
        },
    )


@login_required
@require_POST
def nouvelle_campagne(request):
    coordinations = _coordinations(request)
    form = CampagneForm(request.POST, coordinations=coordinations)
    if not form.is_valid():
        messages.error(request, f"La campagne n'a pas été lancée : {errors_text(form)}")
        return redirect("actualisation:coordination")
    data = form.cleaned_data
    campagne = services.launch_campaign(
        data["coordination"], request.user, data["nom"], data["territoire"], data["thematiques"]
    )
    messages.success(
        request, f"Campagne lancée : {campagne.structures.count()} structure(s) sollicitée(s)."
    )
    return redirect("actualisation:campagne", campagne.pk)


@login_required
def campagne(request, pk):
    campagne = get_object_or_404(Campagne, pk=pk, coordination__in=_coordinations(request))
    rows = services.responses(campagne)
    return render(
        request,
        "actualisation/campagne.html",
        {"campagne": campagne, "rows": rows, "taux": services.response_rate(rows)},
    )


@login_required
@require_POST
def relancer(request, pk):
    campagne = get_object_or_404(Campagne, pk=pk, coordination__in=_coordinations(request))
    try:
        count = services.relaunch(campagne)
    except services.AlreadyRelaunched:
        messages.error(request, "Cette campagne a déjà été relancée : une seule relance possible.")
    else:
        messages.success(request, f"Relance envoyée à {count} structure(s).")
    return redirect("actualisation:campagne", campagne.pk)
