from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.models import Coordination
from actualisation import services
from actualisation.forms import CampagneForm, SignalementForm
from actualisation.models import Campagne, TacheQualite
from catalogue import moderation
from catalogue.models import Service
from catalogue.permissions import ANY_ROLE, structure_ids
from config import throttle
from config.forms import errors_text
from config.network import client_address
from config.sessions import no_store
from search import besoins

REPORT_WINDOW = 3600  # seconds: ERROR_REPORT_RATE_LIMIT counts reports an hour


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
        user = request.user if request.user.is_authenticated else None
        services.confirm(service, user)
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
            "a_valider": moderation.pending_requests(request.user).count(),
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


def signaler(request, pk):
    """« Signaler une erreur »: a short form for anyone, limited per client address; a report
    opens a quality task. The reporter's address travels in the POST body only (never in a URL
    nor a log) and the page is not cached."""
    service = get_object_or_404(
        Service.objects.avec_page_publique().select_related("structure"), pk=pk
    )
    form = SignalementForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        limit = settings.ERROR_REPORT_RATE_LIMIT
        wait = limit and throttle.hit("signalement", client_address(request), limit, REPORT_WINDOW)
        if not wait:
            email = form.cleaned_data["courriel"]
            services.report_error(service, form.cleaned_data["details"], email)
            told = " Vous recevrez un e-mail quand l'erreur sera corrigée." if email else ""
            messages.success(
                request, f"Merci, votre signalement est transmis à la structure.{told}"
            )
            return redirect(service.get_absolute_url())
        form.add_error(
            None,
            f"Vous avez déjà envoyé {limit} signalements dans l'heure : réessayez dans "
            f"{wait // 60 + 1} minutes.",
        )
        status = 429
    response = render(
        request, "actualisation/signaler.html", {"service": service, "form": form}, status=status
    )
    return no_store(response)


@login_required
@require_POST
def cloturer_tache(request, pk):
    """A member of the structure closes a quality task: corrected, or nothing to correct."""
    tasks = TacheQualite.objects.select_related("service")
    if not request.user.is_superuser:
        tasks = tasks.filter(service__structure__in=structure_ids(request.user, ANY_ROLE))
    task = get_object_or_404(tasks, pk=pk)
    corrected = request.POST.get("issue") == "corrige"
    if services.close_task(task, corrected, request.user):
        messages.success(request, f"Signalement sur « {task.service} » clos.")
    else:
        messages.error(request, "Ce signalement était déjà clos.")
    return redirect("wagtailadmin_home")
