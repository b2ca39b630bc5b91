from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Avg, Count, F, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.territories import coordinated_communes_filter
from catalogue.models import Membre, Service
from catalogue.permissions import structure_ids
from config.forms import errors_text
from config.responses import csv_response, pdf_response
from config.sessions import personal_data
from config.workflow import Via
from prescription import access, pdf, services, states
from prescription.forms import ACTION_FORMS, PrescriptionForm
from prescription.models import Prescription, Statut

UNSTORED_FILES = (
    "Les pièces jointes n'ont pas pu être enregistrées et rien n'a été envoyé : réessayez dans "
    "quelques minutes, ou envoyez la prescription sans pièce jointe."
)
CSV_COLUMNS = [
    ("id", lambda p: p.pk),
    ("envoyée le", lambda p: p.envoyee_le and p.envoyee_le.date().isoformat()),
    ("statut", lambda p: p.get_statut_display()),
    ("service", lambda p: p.service.nom),
    ("structure", lambda p: p.service.structure.nom),
    ("personne", lambda p: f"{p.prenom} {p.nom}"),
    ("commune", lambda p: p.commune.nom),
    ("rdv attendu avant", lambda p: p.attend_un_rdv and p.rdv_attendu_avant.isoformat() or ""),
    ("en retard", lambda p: "oui" if p.en_retard else "non"),
    ("prescripteur", lambda p: str(p.prescripteur)),
]


def _prescription_or_404(user, pk):
    prescription = get_object_or_404(
        Prescription.objects.select_related(
            "service__structure", "commune", "prescripteur", "structure_prescriptrice"
        ),
        pk=pk,
    )
    role = access.role_of(user, prescription)
    if role is None:
        raise Http404
    return prescription, role


@login_required
def nouvelle(request, service_pk):
    service = get_object_or_404(Service.objects.select_related("structure"), pk=service_pk)
    try:
        services.check_prescribable(service)
    except services.ServiceNonPrescriptible as error:
        return render(
            request, "prescription/non_prescriptible.html", {"service": service, "message": error},
            status=409,
        )  # fmt: skip
    form = PrescriptionForm(
        request.POST or None,
        request.FILES or None,
        initial=_prefill(request),
        service=service,
        duplicates_finder=lambda *person: services.open_on_same_thematique(
            access.visible_to(request.user), service, *person
        ),
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                prescription = services.send(
                    service, request.user, form.prescription_data(),
                    form.cleaned_data["pieces_jointes"], form.cleaned_data["cle_idempotence"],
                )  # fmt: skip
            except OSError:  # the file storage failed: nothing was saved, nothing sent
                form.add_error("pieces_jointes", UNSTORED_FILES)
            else:
                messages.success(request, f"Prescription envoyée à {service.structure.nom}.")
                return redirect(prescription)
        if request.FILES:
            messages.warning(request, "Pour votre sécurité, joignez à nouveau vos fichiers.")
    previous = access.visible_to(request.user).filter(prescripteur=request.user)[:20]
    return render(
        request, "prescription/nouvelle.html",
        {"service": service, "form": form, "previous": previous},
    )  # fmt: skip


def _prefill(request):
    """« Dites-le-nous une fois » : the person's details from one of the prescriptions I sent
    (only its prescripteur: a reader, or the receiving structure before accepting, may not see
    the France Travail identifier)."""
    source = request.GET.get("depuis")
    if not (source and source.isdigit()):
        return {}
    previous = access.visible_to(request.user).filter(pk=source, prescripteur=request.user).first()
    if previous is None or previous.anonymisee_le:
        return {}
    fields = [
        "nom", "prenom", "date_naissance", "telephone", "courriel",
        "identifiant_france_travail", "freins", "disponibilites",
    ]  # fmt: skip
    initial = {name: getattr(previous, name) for name in fields}
    initial["commune"] = previous.commune.nom
    initial["code_commune"] = previous.commune_id
    return initial


@login_required
def detail(request, pk):
    prescription, role = _prescription_or_404(request.user, pk)
    return render(request, "prescription/detail.html", _detail_context(prescription, role))


def _detail_context(prescription, role, token=None):
    acting = role in (states.STRUCTURE, states.PRESCRIPTEUR)
    actions = states.available(prescription, role) if acting else []
    return {
        "prescription": prescription,
        "role": role,
        "token": token,
        "actions": [(action, _action_form(action.name)) for action in actions],
        "show_france_travail": role != states.STRUCTURE or prescription.statut in states.ACCEPTED,
        "transitions": prescription.transitions.select_related("user"),
        "pieces": prescription.pieces_jointes.all(),
    }


def _action_form(name, data=None):
    form_class = ACTION_FORMS.get(name)
    return form_class(data, auto_id=f"{name}-%s") if form_class else None


def _perform(request, prescription, role, action_name, via, user):
    form = _action_form(action_name, request.POST)
    # An appointment is typed in the structure's time zone (Fort-de-France, Saint-Denis…).
    with timezone.override(prescription.fuseau_horaire):
        invalid = form is not None and not form.is_valid()
    if invalid:
        messages.error(request, errors_text(form))
        return False
    try:
        services.act(
            prescription, action_name, actor=role, user=user, via=via,
            **(form.cleaned_data if form else {}),
        )  # fmt: skip
    except states.TransitionRefusee as error:
        messages.error(request, str(error))
        return False
    messages.success(request, f"« {states.ACTIONS[action_name].label} » : c'est fait.")
    return True


@login_required
@require_POST
def action(request, pk, name):
    prescription, role = _prescription_or_404(request.user, pk)
    if name not in states.ACTIONS or role not in (states.STRUCTURE, states.PRESCRIPTEUR):
        raise Http404
    _perform(request, prescription, role, name, Via.COMPTE, request.user)
    return redirect(prescription)


@personal_data
def lien(request, token):
    """The structure answers from the link e-mailed to the service's contact, without account.
    Once the prescription is closed (cancelled, refused, expired, person received or absent),
    the link only tells its state: nothing about the person."""
    closed = services.prescription_from_token(token, allow_expired=True)
    if closed is not None and closed.statut in states.CLOSED:
        return render(request, "prescription/lien_clos.html", {"prescription": closed})
    prescription = services.prescription_from_token(token)
    if prescription is None:
        expired = services.prescription_from_token(token, allow_expired=True)
        if expired is not None and request.method == "POST":
            sent = services.send_new_link(expired)
            return render(
                request, "prescription/lien_renvoye.html", {"prescription": expired, "sent": sent},
                status=200 if sent else 429,
            )  # fmt: skip
        return render(
            request, "prescription/lien_invalide.html", {"expired": expired is not None},
            status=400,
        )  # fmt: skip
    if request.method == "POST":
        name = request.POST.get("action", "")
        if name in states.ACTIONS:
            _perform(request, prescription, states.STRUCTURE, name, Via.LIEN_SIGNE, None)
        return redirect("prescription:lien", token=token)
    return render(
        request, "prescription/detail.html",
        _detail_context(prescription, states.STRUCTURE, token=token),
    )  # fmt: skip


def _file_response(prescription, piece_pk):
    piece = get_object_or_404(prescription.pieces_jointes, pk=piece_pk)
    return FileResponse(
        piece.fichier.open("rb"), as_attachment=True, filename=piece.nom, content_type=piece.type
    )


@login_required
def piece_jointe(request, pk, piece_pk):
    prescription, _ = _prescription_or_404(request.user, pk)
    return _file_response(prescription, piece_pk)


@personal_data
def piece_jointe_par_lien(request, token, piece_pk):
    """The structure reads the attachments from its answer link too, while the link is valid."""
    prescription = services.prescription_from_token(token)
    if prescription is None or prescription.statut in states.CLOSED:
        raise Http404
    return _file_response(prescription, piece_pk)


@login_required
def recapitulatif(request, pk):
    prescription, _ = _prescription_or_404(request.user, pk)
    return pdf_response(pdf.recapitulatif(prescription), f"orientation-{prescription.pk}.pdf")


def _listing(request, queryset, template, extra=None):
    statut = request.GET.get("statut", "")
    if statut in Statut.values:
        queryset = queryset.filter(statut=statut)
    prescriptions = sorted(
        queryset.select_related("service__structure", "commune", "prescripteur"),
        key=lambda p: (not p.en_retard, -(p.envoyee_le or p.cree_le).timestamp()),
    )
    if request.GET.get("format") == "csv":
        return csv_response(
            template.rsplit("/", 1)[-1].replace(".html", ".csv"),
            [name for name, _ in CSV_COLUMNS],
            ([value(p) for _, value in CSV_COLUMNS] for p in prescriptions),
        )
    context = {"prescriptions": prescriptions, "statuts": Statut.choices, "statut": statut}
    return render(request, template, context | (extra or {}))


@login_required
def mes_prescriptions(request):
    sent = access.visible_to(request.user).filter(
        Q(prescripteur=request.user)
        | Q(structure_prescriptrice_id__in=structure_ids(request.user, [Membre.Role.ADMIN]))
    )
    return _listing(request, sent, "prescription/mes_prescriptions.html")


@login_required
def recues(request):
    received = Prescription.objects.filter(service__structure_id__in=structure_ids(request.user))
    per_service = (
        received.exclude(statut=Statut.BROUILLON)
        .values("service__nom")
        .annotate(
            total=Count("pk"),
            acceptees=Count("pk", filter=Q(statut__in=states.ACCEPTED)),
            repondues=Count("pk", filter=Q(premiere_reponse_le__isnull=False)),
            delai=Avg(F("premiere_reponse_le") - F("envoyee_le")),
        )
        .order_by("service__nom")
    )  # fmt: skip
    return _listing(
        request, received, "prescription/recues.html", {"per_service": list(per_service)}
    )


@login_required
def coordination(request):
    if not request.user.coordinations.exists():
        raise Http404
    followed = Prescription.objects.filter(coordinated_communes_filter(request.user))
    return _listing(request, followed, "prescription/coordination.html")
