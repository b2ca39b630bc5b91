from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from accounts.forms import AccountCreationForm
from catalogue import membres
from catalogue.models import Service, Structure
from catalogue.presentation import contact, service_sections
from config.sessions import personal_data


def structure_detail(request, pk):
    structure = get_object_or_404(
        Structure.objects.select_related("structure_parente"), pk=pk, est_publiee=True
    )
    services = structure.services.visibles()
    antennes = structure.antennes.filter(est_publiee=True)
    return render(
        request,
        "catalogue/structure_detail.html",
        {"structure": structure, "services": services, "antennes": antennes},
    )


def service_detail(request, pk):
    service = get_object_or_404(Service.objects.visibles().select_related("structure"), pk=pk)
    return render(
        request,
        "catalogue/service_detail.html",
        {
            "service": service,
            "sections": service_sections(service),
            "contact": contact(service, professional=request.user.is_authenticated),
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
