from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.forms import AccountCreationForm
from catalogue import membres, modeles, moderation
from catalogue.forms import StructureCreationForm
from catalogue.models import DemandeAdhesion, Membre, Service, Structure
from catalogue.presentation import contact, service_sections, structure_sections
from config.sessions import personal_data


def structure_detail(request, pk):
    structure = get_object_or_404(
        Structure.objects.select_related("structure_parente"), pk=pk, est_publiee=True
    )
    services = structure.services.avec_page_publique()
    antennes = structure.antennes.filter(est_publiee=True)
    return render(
        request,
        "catalogue/structure_detail.html",
        {
            "structure": structure,
            "services": services,
            "antennes": antennes,
            "sections": structure_sections(structure),
        },
    )


def service_detail(request, pk):
    service = get_object_or_404(
        Service.objects.avec_page_publique().select_related("structure"), pk=pk
    )
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


@login_required
def nouvelle_structure(request):
    """A professional adds a structure missing from the portal: it waits for validation."""
    form = StructureCreationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            moderation.create_structure(
                request.user, form.save(commit=False), form.cleaned_data["message"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"La structure « {form.instance} » a été créée. Elle sera publiée, et vous en "
                "serez l'administrateur, dès que la coordination SPIE de son territoire l'aura "
                "validée : vous recevrez un e-mail.",
            )
            return redirect("accounts:espace")
    return render(request, "catalogue/structure_nouvelle.html", {"form": form})


@login_required
def moderation_page(request):
    """The queues: structures and first admins to validate (gestionnaires, coordinations) and
    services to review before publication (structure admins)."""
    if not moderation.has_queues(request.user):
        raise Http404
    return render(
        request,
        "catalogue/moderation.html",
        {
            "demandes": moderation.pending_requests(request.user),
            "services": moderation.services_to_review(request.user),
        },
    )


def _decide(request, decide, told):
    """Applies the POSTed decision (« accepter » or « refuser »; 404 otherwise) with
    `decide(accepted)`, which raises ValidationError when it was already taken; on success
    flashes `told(accepted)`. Back to the moderation queues."""
    decision = request.POST.get("decision")
    if decision not in ("accepter", "refuser"):
        raise Http404
    accepted = decision == "accepter"
    try:
        decide(accepted)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, told(accepted))
    return redirect("catalogue:moderation")


@login_required
@require_POST
def moderer_demande(request, pk):
    demande = get_object_or_404(
        DemandeAdhesion.objects.filter(
            role=Membre.Role.ADMIN,
            structure__in=moderation.moderated_structures(request.user),
        ).select_related("user", "structure"),
        pk=pk,
    )

    def told(accepted):
        verdict = "acceptée" if accepted else "refusée"
        published = " : la structure est publiée" if accepted and demande.creation else ""
        return f"Demande de {demande.user} pour « {demande.structure} » {verdict}{published}."

    return _decide(request, lambda accepted: membres.decide(demande, request.user, accepted), told)


@login_required
@require_POST
def relire_service(request, pk):
    service = get_object_or_404(moderation.services_in_review_scope(request.user), pk=pk)

    def told(accepted):
        verdict = "est publié" if accepted else "est renvoyé en brouillon"
        return f"Le service « {service} » {verdict}."

    return _decide(
        request, lambda accepted: moderation.review(service, request.user, accepted), told
    )


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
