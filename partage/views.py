"""« Partager » a service by e-mail, and « Ma sélection »: add, remove, print (PDF), send."""

import logging
import math

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from catalogue.models import Service
from config import mail
from config.forms import errors_text
from config.french import pluriel
from config.responses import pdf_response
from partage import pdf, selection, services
from partage.forms import AjoutForm, DestinataireForm, ImpressionForm

logger = logging.getLogger(__name__)


def _send(request, chosen, form):
    """Sends `chosen` (services) to the form's address; returns None when sent (the visitor is
    told, without the address), else the status of the form shown again with its error."""
    try:
        services.send(chosen, form.cleaned_data["courriel"], request)
    except services.Limited as limited:
        minutes = math.ceil(limited.wait / 60)
        form.add_error(None, f"Trop d'envois en une heure : réessayez dans {minutes} min.")
        return 429
    except mail.FAILURES:
        logger.warning("Partage non envoyé : le serveur de courriel a échoué.")
        form.add_error(None, "Le message n'a pas pu partir : réessayez dans quelques minutes.")
        return 503
    messages.success(request, "Message envoyé. Son adresse n'a pas été conservée.")
    return None


@require_http_methods(["GET", "POST"])
def partager(request, pk):
    """« Partager » a published service (not a suspended one: no one should go there): its
    information e-mailed to the address typed."""
    service = get_object_or_404(Service.objects.publies().select_related("structure"), pk=pk)
    form = DestinataireForm(request.POST or None)
    status = 200
    if form.is_valid():
        status = _send(request, [service], form)
        if status is None:
            return _back(request, service.get_absolute_url())
    context = {"service": service, "form": form, "next": _next(request)}
    return render(request, "partage/partager.html", context, status=status)


def _page(request, form=None, status=200):
    return render(
        request,
        "partage/selection.html",
        {
            "services": selection.services(request.session),
            "form": form or DestinataireForm(),
            "layouts": pdf.LAYOUTS,
        },
        status=status,
    )


@require_GET
def page(request):
    return _page(request)


def _back(request, default):
    """Where the visitor came from (`_next`), else `default`."""
    return redirect(_next(request) or default)


def _next(request):
    """`next`, posted or in the query, when it is a path of this site; else ""."""
    target = request.POST.get("next") or request.GET.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if safe else ""


@require_POST
def ajouter(request):
    form = AjoutForm(request.POST)
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return _back(request, reverse("partage:selection"))
    # Valid, each one a visible service's pk as its digits: kept in the order of the page.
    pks = [int(pk) for pk in form.data.getlist("services")]
    added = selection.add(request.session, pks)
    total = len(selection.ids(request.session))
    if added:
        messages.success(
            request,
            f"{pluriel(added, 'service ajouté')} à votre sélection, qui en compte {total}.",
        )
    if added < len(pks) and total >= selection.MAX_SERVICES:
        messages.warning(
            request, f"Une sélection compte {selection.MAX_SERVICES} services au plus."
        )
    elif not added:
        messages.info(request, "Ce service est déjà dans votre sélection.")
    return _back(request, reverse("partage:selection"))


@require_POST
def retirer(request):
    """Takes out the service `service` (a pk), or every service without one."""
    pk = request.POST.get("service", "")
    selection.remove(request.session, int(pk) if pk.isdigit() else None)
    return redirect("partage:selection")


@require_GET
def imprimer(request):
    """The selection as a PDF (`mise_en_page`: `liste`, the default, or one page per
    service); contacts as this visitor may see them."""
    chosen = selection.services(request.session)
    if not chosen:
        messages.info(request, "Votre sélection est vide.")
        return redirect("partage:selection")
    form = ImpressionForm(request.GET)
    layout = (form.is_valid() and form.cleaned_data["mise_en_page"]) or pdf.LISTE
    professional = request.user.is_authenticated
    infos = [services.describe(service, professional) for service in chosen]
    return pdf_response(pdf.selection(infos, layout), "services-selectionnes.pdf")


@require_POST
def envoyer(request):
    """« Envoyer par e-mail »: the selection to the address typed."""
    chosen = selection.services(request.session)
    if not chosen:
        messages.info(request, "Votre sélection est vide.")
        return redirect("partage:selection")
    form = DestinataireForm(request.POST)
    status = _send(request, chosen, form) if form.is_valid() else 400
    if status is None:
        return redirect("partage:selection")
    return _page(request, form, status)
