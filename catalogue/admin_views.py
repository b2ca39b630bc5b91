"""Member management in the Wagtail admin, for structure admins (and staff)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from catalogue import membres as membres_service
from catalogue.admin_forms import InvitationForm
from catalogue.models import DemandeAdhesion, Membre, Structure
from catalogue.permissions import ADMIN_ONLY, structure_ids
from config.french import de


def _managed_structures(user):
    if user.is_superuser:
        return Structure.objects.all()
    return Structure.objects.filter(pk__in=structure_ids(user, ADMIN_ONLY))


def _managed_structure(user, pk):
    structure = _managed_structures(user).filter(pk=pk).first()
    if structure is None:
        raise Http404("Structure introuvable ou non administrée par vous.")
    return structure


def structures_index(request):
    return TemplateResponse(
        request,
        "catalogue/admin/structures_index.html",
        {
            "page_title": "Membres de mes structures",
            "structures": _managed_structures(request.user)[:200],
        },
    )


def membres(request, structure_pk):
    structure = _managed_structure(request.user, structure_pk)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = membres_service.invite(
                structure, form.cleaned_data["email"], form.cleaned_data["role"], request.user
            )
        except ValidationError as error:
            form.add_error("email", error)
        else:
            messages.success(request, f"Invitation envoyée à {invitation.email}.")
            return redirect("membres", structure_pk=structure.pk)
    return TemplateResponse(
        request,
        "catalogue/admin/membres.html",
        {
            "page_title": f"Membres — {structure}",
            "structure": structure,
            "membres": structure.membres.select_related("user").order_by("user__email"),
            "invitations": structure.invitations.filter(acceptee_le=None),
            "demandes": structure.demandes_adhesion.filter(
                decidee_le=None, role=Membre.Role.MEMBRE
            ).select_related("user"),
            "form": form,
        },
    )


@require_POST
def retirer_membre(request, structure_pk, membre_pk):
    structure = _managed_structure(request.user, structure_pk)
    membre = get_object_or_404(
        Membre.objects.select_related("user"), pk=membre_pk, structure=structure
    )
    try:
        membres_service.remove(membre)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"{membre.user} ne fait plus partie {de(structure)}.")
    return redirect("membres", structure_pk=structure.pk)


@require_POST
def decider_demande(request, structure_pk, demande_pk):
    structure = _managed_structure(request.user, structure_pk)
    demande = get_object_or_404(  # a first admin is validated in the moderation (its page)
        DemandeAdhesion.objects.select_related("user"),
        pk=demande_pk,
        structure=structure,
        role=Membre.Role.MEMBRE,
    )
    accepted = request.POST.get("decision") == "accepter"
    try:
        membres_service.decide(demande, request.user, accepted)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        verdict = "fait maintenant partie de" if accepted else "ne rejoindra pas"
        messages.success(request, f"{demande.user} {verdict} {structure}.")
    return redirect("membres", structure_pk=structure.pk)
