from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from accounts.forms import AccountCreationForm
from catalogue import membres, modeles
from catalogue.models import Service, Structure
from catalogue.presentation import service_sections
from config.sessions import personal_data

PUBLIC_SERVICE_STATUSES = [Service.Statut.PUBLIE, Service.Statut.SUSPENDU]


def structure_detail(request, pk):
    structure = get_object_or_404(
        Structure.objects.select_related("structure_parente"), pk=pk, est_publiee=True
    )
    services = structure.services.filter(statut__in=PUBLIC_SERVICE_STATUSES)
    antennes = structure.antennes.filter(est_publiee=True)
    return render(
        request,
        "catalogue/structure_detail.html",
        {"structure": structure, "services": services, "antennes": antennes},
    )


def service_detail(request, pk):
    service = get_object_or_404(
        Service.objects.select_related("structure"),
        pk=pk,
        statut__in=PUBLIC_SERVICE_STATUSES,
        structure__est_publiee=True,
    )
    is_professional = request.user.is_authenticated
    return render(
        request,
        "catalogue/service_detail.html",
        {
            "service": service,
            "sections": service_sections(service),
            "show_contacts": is_professional or service.contact_public,
            "show_contact_name": is_professional,
        },
    )


@personal_data
def invitation(request, token):
    """Accepts an invitation to join a structure by a POST, creating the account if needed."""
    pending = membres.invitation_from_token(token)
    if pending is None:
        return render(request, "catalogue/invitation_invalide.html", status=400)
    user = request.user
    if not user.is_authenticated:
        if get_user_model().objects.filter(email__iexact=pending.email).exists():
            return redirect_to_login(request.get_full_path())
        form = AccountCreationForm(request.POST or None, email=pending.email)
        if request.method != "POST" or not form.is_valid():
            return render(
                request, "catalogue/invitation.html", {"invitation": pending, "form": form}
            )
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    try:
        membres.check_recipient(pending, user)
        if request.method != "POST":  # opening the link (a mail scanner may) is not accepting
            return render(request, "catalogue/invitation.html", {"invitation": pending})
        membres.accept(pending, user)
    except ValidationError as error:
        return render(
            request,
            "catalogue/invitation_invalide.html",
            {"message": error.messages[0]},
            status=403,
        )
    messages.success(request, f"Vous avez rejoint {pending.structure}.")
    return redirect("wagtailadmin_home")


@login_required
def modeles_territoire(request):
    """For a coordination: every service model and the structures of its territory running it."""
    if not request.user.coordinations.exists():
        raise Http404
    return render(
        request,
        "catalogue/modeles_territoire.html",
        {"modeles": modeles.modeles_in_territory(request.user)},
    )
