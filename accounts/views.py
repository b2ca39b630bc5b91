from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from accounts import adresse, proconnect
from accounts.forms import AdresseForm
from catalogue import membres, moderation
from catalogue.models import Membre, Structure
from config.sessions import personal_data


@login_required
def espace(request):
    """« Mon espace »: my structures and requests; without a structure, how to join one."""
    user = request.user
    memberships = list(user.memberships.select_related("structure").order_by("structure__nom"))
    words = request.GET.get("q", "")
    context = {
        "memberships": memberships,
        "coordinations": user.coordinations.all(),
        "pending": user.demandes_adhesion.filter(decidee_le=None).select_related("structure"),
        "words": words,
        "moderation": moderation.has_queues(user),
        "waiting": moderation.waiting_count(user),
    }
    if not memberships:
        siret = request.session.get(proconnect.SIRET_SESSION_KEY, "")
        context["suggested"] = membres.structures_of_organisation(siret)
        context["found"] = membres.find_structures(words) if words else None
    return render(request, "accounts/espace.html", context)


@login_required
def rejoindre(request, structure_pk):
    """Asks to join a structure (a POST); the GET shows the request, as the link sent to the
    public e-mail of a structure without admin does (to claim it)."""
    structure = get_object_or_404(Structure, pk=structure_pk, est_publiee=True)
    if request.method != "POST":
        claim = not membres.admins(structure).exists()
        return render(request, "accounts/rejoindre.html", {"structure": structure, "claim": claim})
    message = request.POST.get("message", "").strip()[:1000]
    try:
        demande = membres.request_to_join(request.user, structure, message)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        deciders = (
            "à la coordination SPIE de son territoire"
            if demande.role == Membre.Role.ADMIN
            else "aux administrateurs"
        )
        messages.success(
            request,
            f"Votre demande pour rejoindre {structure} a été envoyée {deciders}. "
            "Vous recevrez un e-mail dès qu'elle aura été traitée.",
        )
    return redirect("accounts:espace")


@login_required
def changer_adresse(request):
    """Asks for a new address; it takes effect once confirmed from its own inbox."""
    form = AdresseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            adresse.request_change(request.user, form.cleaned_data["email"])
        except ValidationError as error:
            form.add_error("email", error)
        else:
            messages.success(
                request,
                "Un lien de confirmation a été envoyé à la nouvelle adresse : votre adresse "
                "changera quand vous l'aurez ouvert et confirmé.",
            )
            return redirect("accounts:espace")
    return render(request, "accounts/adresse.html", {"form": form})


@personal_data
def confirmer_adresse(request, token):
    """The link sent to the new address: shown by a GET (mail scanners open links), applied
    by a POST."""
    pending = adresse.pending_change(token)
    if pending is None:
        return render(request, "accounts/adresse_confirmer.html", status=400)
    if request.method == "POST":
        try:
            adresse.confirm(pending)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, f"L'adresse {pending['to']} est vérifiée.")
        return redirect("accounts:espace" if request.user.is_authenticated else "accounts:login")
    return render(request, "accounts/adresse_confirmer.html", {"pending": pending})
