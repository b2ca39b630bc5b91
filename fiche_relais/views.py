from datetime import timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.territories import coordinated_communes_filter
from config.forms import DateInput, DsfrForm, errors_text
from config.french import de
from config.responses import csv_response, pdf_response
from config.workflow import TransitionRefusee
from fiche_relais import access, dashboard, donnees, pdf, services, structures, template
from fiche_relais import commission as commission_agenda
from fiche_relais import file_active as file_active_rows
from fiche_relais.forms import (
    AssignationForm,
    CommissionForm,
    ConsentementForm,
    DecisionForm,
    EnvoiForm,
    EtapeFicheForm,
    InscriptionForm,
    InvitationForm,
    PersonneForm,
    PriseEnChargeForm,
    RevocationForm,
    SituationForm,
    TableauDeBordForm,
)
from fiche_relais.models import (
    Commission,
    Etape,
    FicheRelais,
    Personne,
    SituationBloquee,
    Version,
)
from prescription import access as prescription_access
from prescription import files
from prescription.models import Prescription
from territoires.models import Commune


def _personnes_visibles(user):
    """The people whose parcours I lead or led until a month ago, whose fiches I can read, or who
    live where I coordinate."""
    fiches = access.readable_by(user).values("personne_id")
    previous = Q(etapes__referent=user, etapes__fin__gte=file_active_rows.access_start())
    return Personne.objects.filter(
        Q(etapes__referent=user, etapes__fin=None)
        | previous
        | Q(pk__in=fiches)
        | coordinated_communes_filter(user)
    ).distinct()


def _personne_or_404(user, pk):
    return get_object_or_404(_personnes_visibles(user), pk=pk)


def _fiche_or_404(user, pk):
    fiche = get_object_or_404(
        FicheRelais.objects.select_related("personne__commune", "auteur", "destinataire"), pk=pk
    )
    if not access.can_read(user, fiche):
        raise Http404
    return fiche


class FileActiveForm(DsfrForm):
    q = forms.CharField(label="Nom ou prénom", required=False, max_length=100)
    etape = forms.ChoiceField(label="Étape (dispositif)", required=False)
    statut = forms.ChoiceField(
        label="Statut", required=False, choices=[("", "Tous"), *file_active_rows.STATUTS]
    )
    alerte = forms.BooleanField(label="Avec une alerte seulement", required=False)

    def __init__(self, *args, dispositifs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["etape"].choices = [("", "Toutes"), *((d, d) for d in dispositifs)]


@login_required
def file_active(request):
    """The référent's file active, searched and filtered; fiches to take over, the structure's
    queue of fiches to designate a référent for (admins), late prescriptions, and the people
    accompanied last month."""
    rows = file_active_rows.rows(request.user)
    form = FileActiveForm(request.GET, dispositifs=file_active_rows.dispositifs(rows))
    shown = file_active_rows.filtered(rows, **form.cleaned_data) if form.is_valid() else rows
    late = Prescription.objects.filter(prescripteur=request.user).en_retard()
    listed = ("personne", "auteur", "structure_auteur", "structure_destinataire")
    return render(request, "fiche_relais/file_active.html", {
        "form": form,
        "rows": shown,
        "total": len(rows),
        "accompagnees": file_active_rows.accompagnees(request.user),
        "en_attente": services.fiches_en_attente(request.user).select_related(*listed),
        "a_designer": services.fiches_a_designer(request.user).select_related(*listed),
        "prescriptions_en_retard": late.select_related("service"),
    })  # fmt: skip


@login_required
def personne_nouvelle(request):
    structure = services.structure_of(request.user)
    if structure is None:
        messages.error(request, "Rejoignez d'abord une structure pour accompagner une personne.")
        return redirect("fiche_relais:file_active")
    form = PersonneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            personne = form.save(commit=False)
            personne.commune = form.cleaned_data["commune_texte"]
            personne.cree_par = request.user
            personne.save()
            Etape.objects.create(
                personne=personne, referent=request.user, structure=structure,
                dispositif=form.cleaned_data["dispositif"], contrat=form.cleaned_data["contrat"],
                debut=form.cleaned_data["debut"],
            )  # fmt: skip
        return redirect(personne)
    return render(request, "fiche_relais/personne_form.html", {"form": form})


@login_required
def personne(request, pk):
    personne = _personne_or_404(request.user, pk)
    etape = personne.etape_en_cours
    prescriptions = list(file_active_rows.of_people([personne.personne_cle]))
    return render(request, "fiche_relais/personne.html", {
        "personne": personne,
        "prescriptions": prescriptions,
        "prescriptions_lisibles": set(
            prescription_access.visible_to(request.user)
            .filter(pk__in=[p.pk for p in prescriptions]).values_list("pk", flat=True)
        ),
        "etapes": personne.etapes.select_related("referent", "structure"),
        "fiches": access.readable_by(request.user).filter(personne=personne),
        "consentements": [
            (c, services.fiches_under(c).count(), RevocationForm(auto_id=f"revocation-{c.pk}-%s"))
            for c in personne.consentements.select_related("recueilli_par", "revoque_par")
        ],
        "peut_revoquer": _may_revoke(request.user, personne),
        "est_referent": etape is not None and etape.referent_id == request.user.pk,
        "coordonne": access.coordinates(request.user, personne),
        "consentement_form": ConsentementForm(),
        "situations": personne.situations.select_related("commission", "decision"),
        "situation_form": SituationForm() if services.can_flag(request.user, personne) else None,
    })  # fmt: skip


def _current_referent_or_403(user, personne):
    etape = personne.etape_en_cours
    if etape is None or etape.referent_id != user.pk:
        raise PermissionDenied
    return etape


@login_required
@require_POST
def consentement(request, pk):
    personne = _personne_or_404(request.user, pk)
    _current_referent_or_403(request.user, personne)
    form = ConsentementForm(request.POST, request.FILES)
    if form.is_valid():
        recorded = form.save(commit=False)
        recorded.personne, recorded.recueilli_par = personne, request.user
        recorded.save()
        messages.success(request, "Consentement enregistré.")
    else:
        messages.error(request, errors_text(form))
    return redirect(personne)


def _consentement_or_404(user, pk, consentement_pk):
    personne = _personne_or_404(user, pk)
    return personne, get_object_or_404(personne.consentements, pk=consentement_pk)


@login_required
@require_POST
def revoquer_consentement(request, pk, consentement_pk):
    """The person withdraws her consent, told to her référent or to the coordination."""
    personne, consentement = _consentement_or_404(request.user, pk, consentement_pk)
    if not _may_revoke(request.user, personne):
        raise PermissionDenied
    form = RevocationForm(request.POST)
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return redirect(personne)
    try:
        services.revoquer(consentement, request.user, form.cleaned_data["motif_revocation"])
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, "Consentement révoqué. Ses effets sont décrits ci-dessous.")
    return redirect(personne)


def _may_revoke(user, personne):
    etape = personne.etape_en_cours
    is_referent = etape is not None and etape.referent_id == user.pk
    return is_referent or access.coordinates(user, personne)


@login_required
def consentement_document(request, pk, consentement_pk):
    """The scanned proof, to those who read the person's page."""
    _, consentement = _consentement_or_404(request.user, pk, consentement_pk)
    if not consentement.document:
        raise Http404
    document = consentement.document.open("rb")
    return FileResponse(
        document, content_type=files.content_type(document) or "application/octet-stream",
        filename=f"consentement-{consentement.pk}", as_attachment=False,
    )  # fmt: skip


@login_required
@require_POST
def fiche_nouvelle(request, pk):
    personne = _personne_or_404(request.user, pk)
    etape = _current_referent_or_403(request.user, personne)
    fiche = services.nouvelle_fiche(personne, request.user, etape.structure)
    return redirect("fiche_relais:modifier", pk=fiche.pk)


def _step_url(fiche, step):
    return f"{reverse('fiche_relais:modifier', args=[fiche.pk])}?etape={step.slug}"


@login_required
def modifier(request, pk):
    """The fiche relais, one step of the SPIE 13 template at a time (`?etape=`), each saved."""
    fiche = _fiche_or_404(request.user, pk)
    if not access.can_write(request.user, fiche):
        raise PermissionDenied
    steps = template.STEPS
    step = template.STEPS_BY_SLUG.get(request.GET.get("etape"), steps[0])
    index = steps.index(step)
    following = steps[index + 1] if index + 1 < len(steps) else None
    version = fiche.derniere_version
    form = EtapeFicheForm(request.POST or None, step=step, contenu=version.contenu)
    if request.method == "POST" and form.is_valid():
        saved = services.enregistrer(fiche, form.contenu(version.contenu), request.user)
        what = "Brouillon" if not saved.figee else f"Correction (version {saved.numero})"
        messages.success(request, f"{what} enregistré : « {step.title} ».")
        if "continuer" not in request.POST:
            return redirect(_step_url(fiche, step))
        return redirect(_step_url(fiche, following) if following else fiche.get_absolute_url())
    return render(request, "fiche_relais/fiche_form.html", {
        "fiche": fiche, "form": form, "step": step, "number": index + 1, "following": following,
        "steps": [(s, _step_url(fiche, s)) for s in steps],
    })  # fmt: skip


def _read_version(request, fiche):
    """The version asked by `?version=N` (an older one, shown with the grid of its time), else
    the last one; the read is recorded."""
    value = request.GET.get("version", "")
    try:
        return services.lire(fiche, request.user, int(value) if value.isdigit() else None)
    except Version.DoesNotExist:
        raise Http404 from None


@login_required
def fiche(request, pk):
    fiche = _fiche_or_404(request.user, pk)
    version = _read_version(request, fiche)
    versions = list(fiche.versions.select_related("auteur"))
    history = [
        (later, template.changes(earlier.contenu, later.contenu))
        for earlier, later in zip(versions, versions[1:], strict=False)
        if later.figee
    ]
    sees_reads = (
        access.coordinates(request.user, fiche.personne) or fiche.auteur_id == request.user.pk
    )
    return render(request, "fiche_relais/fiche.html", {
        "fiche": fiche,
        "version": version,
        "versions": versions,
        "sections": template.sections(version.contenu, fiche.personne),
        "diagnostic": template.diagnostic_rows(version.contenu),
        "history": history,
        "transitions": fiche.transitions.select_related("user"),
        "can_write": access.can_write(request.user, fiche),
        "can_take_over": access.can_take_over(request.user, fiche),
        "assignation_form": AssignationForm(structure=fiche.structure_destinataire)
        if access.can_assign(request.user, fiche) else None,
        "envoi_form": EnvoiForm(personne=fiche.personne, fiche=fiche) if fiche.statut == FicheRelais.Statut.BROUILLON else None,
        "relais_form": PriseEnChargeForm(initial={
            "dispositif": fiche.dispositif_propose, "contrat": fiche.contrat_propose,
        }),
        "lectures": fiche.lectures.select_related("par", "version")[:50] if sees_reads else None,
    })  # fmt: skip


@login_required
@require_POST
def envoyer(request, pk):
    fiche = _fiche_or_404(request.user, pk)
    if not access.can_write(request.user, fiche):
        raise PermissionDenied
    form = EnvoiForm(request.POST, personne=fiche.personne, fiche=fiche)
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return redirect(fiche)
    try:
        services.envoyer(fiche, request.user, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(fiche)
    messages.success(request, "Fiche envoyée ; la coordination SPIE est en copie.")
    return redirect(fiche)


@login_required
@require_POST
def prendre_le_relais(request, pk):
    fiche = _fiche_or_404(request.user, pk)
    form = PriseEnChargeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Indiquez le dispositif et le contrat de la nouvelle étape.")
        return redirect(fiche)
    try:
        services.prendre_le_relais(fiche, request.user, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(fiche)
    messages.success(request, f"Vous êtes le référent d'étape {de(fiche.personne)}.")
    return redirect(fiche.personne)


# Situations bloquées and the commission SPIE -------------------------------------------------


def _situation_or_404(user, pk):
    situation = get_object_or_404(
        SituationBloquee.objects.select_related("personne__commune", "commission"), pk=pk
    )
    if not (services.can_flag(user, situation.personne) or situation.signalee_par_id == user.pk):
        raise Http404
    return situation


@login_required
@require_POST
def signaler(request, pk):
    personne = _personne_or_404(request.user, pk)
    form = SituationForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Remplissez les quatre rubriques de la présentation.")
        return redirect(personne)
    situation = services.signaler(personne, request.user, **form.cleaned_data)
    messages.success(request, "Situation signalée à la coordination SPIE.")
    return redirect(situation)


@login_required
def situation(request, pk):
    situation = _situation_or_404(request.user, pk)
    coordinates = access.coordinates(request.user, situation.personne)
    decision = getattr(situation, "decision", None)
    if request.method == "POST" and coordinates:
        if "commission" in request.POST:
            form = InscriptionForm(request.POST, user=request.user)
            if form.is_valid():
                services.inscrire(situation, form.cleaned_data["commission"], request.user)
                messages.success(request, "Situation inscrite à l'ordre du jour.")
        elif situation.commission and decision is None:
            form = DecisionForm(request.POST)
            if form.is_valid():
                _decide(request, situation, form.cleaned_data)
            else:
                messages.error(request, "La décision est incomplète.")
        return redirect(situation)
    return render(request, "fiche_relais/situation.html", {
        "situation": situation,
        "decision": decision,
        "coordinates": coordinates,
        "inscription_form": InscriptionForm(user=request.user) if coordinates else None,
        "decision_form": DecisionForm() if coordinates and _meets_by_today(situation) and not decision else None,
    })  # fmt: skip


def _meets_by_today(situation):
    """On an agenda whose commission met (or meets today): its decision can be recorded."""
    return situation.commission is not None and situation.commission.date <= timezone.localdate()


def _decide(request, situation, decision):
    try:
        services.decider(situation, request.user, **decision)
    except TransitionRefusee as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, "Décision enregistrée ; les référents sont prévenus.")


@login_required
def coordination(request):
    """The coordination's situations bloquées and commissions."""
    if not request.user.coordinations.exists():
        raise Http404
    form = CommissionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Commission créée.")
        return redirect("fiche_relais:coordination")
    return render(request, "fiche_relais/coordination.html", {
        "situations": services.situations_du_territoire(request.user),
        "commissions": Commission.objects.filter(coordination__membres=request.user),
        "fiches": services.fiches_du_territoire(request.user).select_related("personne", "auteur")[:100],
        "form": form,
    })  # fmt: skip


def _commission_or_404(user, pk):
    commissions = Commission.objects.filter(coordination__membres=user).select_related(
        "coordination"
    )
    return get_object_or_404(commissions, pk=pk)


@login_required
def commission(request, pk):
    """The agenda of a commission SPIE: its situations, its participants, invitations."""
    commission = _commission_or_404(request.user, pk)
    situations = commission.situations.select_related(
        "personne__commune", "signalee_par", "decision"
    )
    initial = {"courriels": "\n".join(commission_agenda.suggested(commission))}
    form = InvitationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        invited = commission_agenda.inviter(
            commission, form.cleaned_data["courriels"], request.user
        )
        messages.success(
            request, f"Invitation envoyée à {len(invited)} participant(s), avec la date (.ics)."
        )
        return redirect(commission)
    return render(request, "fiche_relais/commission.html", {
        "commission": commission,
        "situations": situations.order_by("signalee_le"),
        "participants": commission.participants.select_related("invite_par"),
        "form": form,
    })  # fmt: skip


@login_required
def commission_pdf(request, pk):
    commission = _commission_or_404(request.user, pk)
    return pdf_response(
        pdf.ordre_du_jour(commission), f"ordre-du-jour-commission-{commission.date:%Y-%m-%d}.pdf"
    )


@login_required
def fiche_pdf(request, pk):
    fiche = _fiche_or_404(request.user, pk)
    version = _read_version(request, fiche)
    return pdf_response(pdf.fiche(fiche, version), f"fiche-relais-{fiche.pk}.pdf")


@login_required
def lectures_pdf(request, pk):
    """For the person, printed by the coordination: who read her fiches."""
    personne = _personne_or_404(request.user, pk)
    if not access.coordinates(request.user, personne):
        raise Http404
    return pdf_response(pdf.lectures(personne), f"consultations-{personne.pk}.pdf")


@login_required
def tableau_de_bord(request):
    if not request.user.coordinations.exists():
        raise Http404
    today = timezone.localdate()
    data = request.GET.copy()
    data.setdefault("debut", (today - timedelta(days=365)).isoformat())
    data.setdefault("fin", today.isoformat())
    form = TableauDeBordForm(data, epcis=_epcis_of(request.user))
    if not form.is_valid():
        return render(request, "fiche_relais/tableau_de_bord.html", {"form": form}, status=400)
    period = dashboard.Period(form.cleaned_data["debut"], form.cleaned_data["fin"])
    figures = dashboard.figures(request.user, period, epci=form.cleaned_data["epci"] or None)
    if request.GET.get("format") == "csv":
        return csv_response(
            "tableau-de-bord-spie.csv", ["indicateur", "valeur"], dashboard.csv_rows(figures)
        )
    return render(request, "fiche_relais/tableau_de_bord.html", {
        "form": form,
        "figures": figures,
        "formulas": dashboard.formulas(),
        "chart_situations": dashboard.bars(figures["situations"]["par_motif"]),
        "chart_thematiques": dashboard.bars(figures["prescriptions"]["par_thematique"][:10]),
    })  # fmt: skip


def _epcis_of(user):
    """[(code, nom)] of the EPCI of the territory, read from its communes (forward relations
    only: the browser tests run without the territoires app's reverse relations)."""
    communes = Commune.objects.filter(coordinated_communes_filter(user, ""))
    pairs = set(communes.exclude(epci=None).values_list("epci_id", "epci__nom"))
    return sorted(pairs, key=lambda pair: (pair[1], pair[0]))


@login_required
@require_POST
def assigner(request, pk):
    fiche = _fiche_or_404(request.user, pk)
    if not access.can_assign(request.user, fiche):
        raise PermissionDenied
    form = AssignationForm(request.POST, structure=fiche.structure_destinataire)
    if form.is_valid():
        services.assigner(fiche, request.user, form.cleaned_data["referent"])
        messages.success(request, f"{form.cleaned_data['referent']} prendra le relais.")
        return redirect("fiche_relais:file_active")
    messages.error(request, "Choisissez un membre de la structure.")
    return redirect(fiche)


@login_required
@require_POST
def contact(request, pk):
    """« J'ai eu un contact avec la personne aujourd'hui » : for the file active."""
    personne = _personne_or_404(request.user, pk)
    _current_referent_or_403(request.user, personne)
    Personne.objects.filter(pk=personne.pk).update(dernier_contact=timezone.localdate())
    messages.success(request, "Contact noté.")
    return redirect(personne)


@login_required
def structures_suggestions(request, pk):
    """GET ?q=… → {"results": [{"id", "label"}]}: the structures that may take over the person's
    fiche, her territory first (see `fiche_relais.structures`)."""
    personne = _personne_or_404(request.user, pk)
    text = request.GET.get("q", "").strip()
    if len(text) < structures.MIN_CHARS:
        return JsonResponse({"results": []})
    found = structures.search(text, personne.commune)[: structures.LIMIT]
    return JsonResponse({"results": [{"id": s.pk, "label": structures.label(s)} for s in found]})


class DemandeAccesForm(DsfrForm):
    nom = forms.CharField(max_length=100)
    prenom = forms.CharField(label="Prénom", max_length=100)
    date_naissance = forms.DateField(label="Date de naissance", required=False, widget=DateInput())


@login_required
def donnees_personne(request):
    """The coordination answers a person's access request: all the portal holds about her in
    its territory, as one JSON file. The names travel in a POST body: a URL would leave them
    in access logs and browser history."""
    if not request.user.coordinations.exists():
        raise Http404
    form = DemandeAccesForm(request.POST or None)
    if form.is_valid():
        data = donnees.export(request.user, **form.cleaned_data)
        response = HttpResponse(donnees.as_json(data), content_type="application/json")
        response["Content-Disposition"] = 'attachment; filename="donnees-personne.json"'
        return response
    return render(request, "fiche_relais/donnees_personne.html", {"form": form})
