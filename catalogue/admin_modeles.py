"""The models' pages of the Wagtail admin, for structures' members: every model, a service
created from one, and the changes of a model proposed to a copy, accepted or refused field by
field. The models themselves are edited by their owners in the snippets' admin
(`wagtail_hooks.ModeleServiceViewSet`); the rules are in `catalogue.modeles`."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse

from catalogue import modeles
from catalogue.admin_forms import CopieForm, DecisionsForm
from catalogue.models import ModeleService
from catalogue.permissions import service_policy
from config.french import pluriel


def _changeable_services(user):
    return service_policy.instances_user_has_any_permission_for(user, ["change"])


def index(request):
    return TemplateResponse(
        request,
        "catalogue/admin/modeles.html",
        {
            "page_title": "Modèles de service",
            "modeles": ModeleService.objects.select_related("structure").annotate(
                nb_copies=Count("copies")
            ),
            "to_decide": modeles.pending_copies(_changeable_services(request.user)),
            "can_copy": modeles.copy_targets(request.user).exists(),
        },
    )


def copier(request, modele_pk):
    modele = get_object_or_404(ModeleService.objects.select_related("structure"), pk=modele_pk)
    form = CopieForm(
        request.POST or None,
        instance=modeles.new_copy(modele),
        targets=modeles.copy_targets(request.user),
    )
    if request.method == "POST" and form.is_valid():
        service = modeles.save_copy(form.save(commit=False), request.user)
        messages.success(request, f"« {service} » créé pour {service.structure}.")
        if _changeable_services(request.user).filter(pk=service.pk).exists():
            return redirect("wagtailsnippets_catalogue_service:edit", service.pk)
        return redirect("modeles_index")
    return TemplateResponse(
        request,
        "catalogue/admin/modele_copier.html",
        {"page_title": f"Créer un service à partir de « {modele} »", "modele": modele,
         "form": form},
    )  # fmt: skip


def decide(request, pk):
    """The proposals pending for one of the user's services, to accept or refuse."""
    service = get_object_or_404(
        _changeable_services(request.user).select_related("modele", "structure"), pk=pk
    )
    pending = modeles.proposals(service)
    form = DecisionsForm(request.POST or None, proposals=pending)
    if request.method == "POST" and form.is_valid():
        try:
            decided = modeles.decide(service, request.user, form.decisions())
        except ValidationError as error:
            messages.error(request, "Modifications non enregistrées : " + " ".join(error.messages))
        else:
            messages.success(request, f"{pluriel(len(decided), 'décision enregistrée')}.")
        return redirect("modeles_propositions", service.pk)
    return TemplateResponse(
        request,
        "catalogue/admin/modele_propositions.html",
        {"page_title": f"Modifications proposées — {service}", "service": service,
         "rows": [(p, form[p.field]) for p in pending], "form": form},
    )  # fmt: skip
