"""The fiche relais: draft, send with consent, correct by versions, take over, alerts, reads."""

import copy
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.territories import coordinated_communes_filter
from catalogue.models import Membre
from catalogue.permissions import structure_ids
from config.dates import local
from config.french import de
from config.workflow import TransitionRefusee
from fiche_relais import access, notifications, states
from fiche_relais.models import (
    Consentement,
    Decision,
    Etape,
    FicheRelais,
    Lecture,
    SituationBloquee,
    Version,
)
from fiche_relais.template import empty_content, with_current_grid
from prescription import access as prescription_access

Statut = FicheRelais.Statut
FICHES = states.FICHE_RELAIS


def prefill(personne, auteur):
    """« Dites-le-nous une fois » : the previous fiche's last version, the person's
    prescriptions and the current étape — among the fiches and prescriptions `auteur` may
    already read (`access.readable_by`, `prescription.access.visible_to`)."""
    previous = (
        Version.objects.filter(
            fiche__in=access.readable_by(auteur).filter(personne=personne),
            envoyee_le__isnull=False,
        )
        .order_by("-envoyee_le")
        .first()
    )
    content = with_current_grid(copy.deepcopy(previous.contenu)) if previous else empty_content()
    etape = personne.etape_en_cours
    if etape:
        content["date_entree"] = content.get("date_entree") or etape.debut.strftime("%d/%m/%Y")
        content["structure"] = str(etape.structure)
        content["contact_referent"] = _contact(etape)
        previous_step = personne.etapes.exclude(pk=etape.pk).order_by("-debut", "-pk").first()
        content["contact_precedent"] = _contact(previous_step) if previous_step else ""
    prescriptions = (
        prescription_access.visible_to(auteur)
        .filter(personne_cle=personne.personne_cle)
        .select_related("service__structure")
    )
    lines = [
        f"{local(p.envoyee_le)} : orientation vers « {p.service.nom} » "
        f"({p.service.structure.nom}) — {p.get_statut_display().lower()}"
        for p in prescriptions
        if p.envoyee_le
    ]
    if lines and not previous:
        content["historique"] = "Prescriptions :\n" + "\n".join(lines)
    return content


def _contact(etape):
    return f"{etape.referent.get_full_name()} ({etape.structure}) — {etape.referent.email}"


@transaction.atomic
def nouvelle_fiche(personne, auteur, structure_auteur):
    fiche = FicheRelais.objects.create(
        personne=personne, auteur=auteur, structure_auteur=structure_auteur
    )
    Version.objects.create(fiche=fiche, numero=1, contenu=prefill(personne, auteur), auteur=auteur)
    return fiche


def _check_writer(user, fiche):
    if not access.can_write(user, fiche):
        raise PermissionDenied


@transaction.atomic
def enregistrer(fiche, contenu, user):
    """Saves the draft; once sent, a change is a new version (see `corriger`)."""
    _check_writer(user, fiche)
    version = fiche.derniere_version
    if version.figee:
        return corriger(fiche, contenu, user)
    version.contenu = contenu
    version.save(update_fields=["contenu"])
    return version


@transaction.atomic
def corriger(fiche, contenu, user):
    """A sent version never changes: the correction becomes the next version, sent at once."""
    _check_writer(user, fiche)
    last = fiche.derniere_version
    if last.contenu == contenu:
        return last
    return Version.objects.create(
        fiche=fiche, numero=last.numero + 1, contenu=contenu, auteur=user,
        envoyee_le=timezone.now() if fiche.statut != Statut.BROUILLON else None,
    )  # fmt: skip


def _apply(fiche, name, actor, user, message="", **changes):
    """Runs the fiche relais workflow, the refusal becoming a ValidationError for the view."""
    try:
        return FICHES.apply(fiche, name, actor=actor, user=user, message=message, **changes)
    except TransitionRefusee as refusal:
        raise ValidationError(str(refusal)) from refusal


def pending_fiche(personne, exclude=None):
    """The person's fiche waiting for a taker (at most one, a constraint), other than
    `exclude`; None."""
    pending = FicheRelais.objects.filter(personne=personne, statut__in=states.PENDING)
    return pending.exclude(pk=getattr(exclude, "pk", None)).select_related("destinataire").first()


@transaction.atomic
def envoyer(fiche, user, *, consentement=None, remplacer=False, **sending):
    """Sends the fiche to `destinataire` (a référent) or `structure_destinataire` (its admins
    designate one), the coordination in copy. `sending`: the fields of `states.SENDING_FIELDS`
    but the consent. A fiche still pending for the person is replaced only when `remplacer`
    (its recipients are told)."""
    _check_writer(user, fiche)
    if (
        consentement is None
        or consentement.revoque_le
        or consentement.personne_id != fiche.personne_id
    ):
        raise ValidationError(
            "Sans le consentement de la personne, la fiche ne peut pas être envoyée."
        )
    destinataire = sending.get("destinataire")
    if destinataire is None and sending.get("structure_destinataire") is None:
        raise ValidationError("Choisissez le référent ou la structure qui prend le relais.")
    sending["structure_destinataire"] = sending.get("structure_destinataire") or structure_of(
        destinataire
    )
    previous = pending_fiche(fiche.personne, exclude=fiche)
    if previous and not remplacer:
        raise ValidationError(
            f"La fiche relais envoyée le {local(previous.envoyee_le)} à "
            f"{previous.destinataire or previous.structure_destinataire} attend encore son "
            "relais. Cochez « Remplacer la fiche en attente » pour envoyer celle-ci à sa place."
        )
    if previous:
        _apply(
            previous, "remplacer", states.AUTEUR, user, message="Remplacée par une nouvelle fiche"
        )
    try:
        with transaction.atomic():
            _apply(fiche, "envoyer", states.AUTEUR, user, consentement=consentement, **sending)
    except IntegrityError as error:  # another fiche was sent at the same moment
        raise ValidationError("Une autre fiche de cette personne vient d'être envoyée.") from error
    Version.objects.filter(fiche=fiche, envoyee_le=None).update(envoyee_le=fiche.envoyee_le)
    if previous:
        notifications.FicheRemplacee(previous, nouvelle=fiche).send()
    told = notifications.FicheEnvoyee(fiche).send()
    notifications.FicheCopie(fiche).send(exclude=told)
    return fiche


def structure_of(user):
    membership = user.memberships.order_by("pk").first() if user else None
    return membership.structure if membership else None


@transaction.atomic
def assigner(fiche, user, referent):
    """An admin of the receiving structure designates the référent who takes over; they are
    e-mailed."""
    if not access.can_assign(user, fiche):
        raise PermissionDenied
    if not referent.memberships.filter(structure=fiche.structure_destinataire).exists():
        raise ValidationError(f"{referent} n'est pas membre {de(fiche.structure_destinataire)}.")
    _apply(
        fiche, "designer", states.ADMIN_DESTINATAIRE, user, destinataire=referent,
        message=f"Référent désigné : {referent}",
    )  # fmt: skip
    notifications.ReferentDesigne(fiche).send()
    return fiche


@transaction.atomic
def prendre_le_relais(fiche, user, *, dispositif, contrat):
    """« Je prends le relais » : the previous étape ends, the new one starts with `user`; the
    sender and the coordination are told. A second take-over (two tabs, a double click) waits
    for the first's lock and is refused: one new étape."""
    _apply(fiche, "prendre_le_relais", states.DESTINATAIRE, user, prise_en_charge_par=user)
    today = timezone.localdate()
    Etape.objects.filter(personne=fiche.personne, fin=None).update(
        fin=today, motif_fin=f"Relais vers {user} ({fiche.structure_destinataire})"
    )
    etape = Etape.objects.create(
        personne=fiche.personne, referent=user, structure=fiche.structure_destinataire,
        dispositif=dispositif, contrat=contrat, debut=today,
    )  # fmt: skip
    notifications.RelaisPris(fiche, etape=etape).send(exclude={user.email})
    return etape


def lire(fiche, user, numero=None):
    """Records the read (who, when, which version) and returns the version read: the last one,
    or the one numbered `numero` (Version.DoesNotExist if the fiche has none)."""
    version = fiche.versions.get(numero=numero) if numero else fiche.derniere_version
    Lecture.objects.create(fiche=fiche, version=version, par=user)
    return version


def etapes_suivies(user):
    """The référent's file active: the open étapes they lead, with their person."""
    return Etape.objects.filter(referent=user, fin=None).select_related("personne__commune")


def fiches_en_attente(user):
    """The fiches `user` is to take over."""
    return FicheRelais.objects.filter(statut__in=states.PENDING, destinataire=user)


def fiches_a_designer(user):
    """The structure's queue: fiches sent to a structure `user` administers, until one of its
    admins designates the référent."""
    return FicheRelais.objects.filter(
        statut__in=states.PENDING, destinataire=None,
        structure_destinataire_id__in=structure_ids(user, [Membre.Role.ADMIN]),
    )  # fmt: skip


def fiches_du_territoire(user):
    return FicheRelais.objects.filter(statut__in=states.SENT).filter(
        coordinated_communes_filter(user, "personne__commune")
    )


# Situations bloquées and the commission SPIE -------------------------------------------------


def can_flag(user, personne):
    """The current référent d'étape or the coordination of the person's territory."""
    etape = personne.etape_en_cours
    return (etape is not None and etape.referent_id == user.pk) or access.coordinates(
        user, personne
    )


def situations_du_territoire(user):
    return SituationBloquee.objects.filter(
        coordinated_communes_filter(user, "personne__commune")
    ).select_related("personne", "commission")


@transaction.atomic
def signaler(personne, user, **presentation):
    if not can_flag(user, personne):
        raise PermissionDenied
    situation = SituationBloquee.objects.create(
        personne=personne, signalee_par=user, **presentation
    )
    notifications.SituationSignalee(situation).send(exclude={user.email})
    return situation


@transaction.atomic
def inscrire(situation, commission, user):
    """Puts the situation on the commission's agenda; the person's référents and whoever flagged
    it are told (not `user`, who put it there)."""
    if (
        not access.coordinates(user, situation.personne)
        or not commission.coordination.membres.filter(pk=user.pk).exists()
    ):
        raise PermissionDenied
    states.SITUATION.apply(
        situation, "inscrire", actor=states.COORDINATION, user=user, commission=commission,
        message=str(commission),
    )  # fmt: skip
    notifications.SituationInscrite(situation).send(exclude={user.email})


@transaction.atomic
def decider(situation, user, **decision):
    """Records the commission's decision, from the commission's date on; the référents of the
    parcours are told. Raises TransitionRefusee before the date or for a decided situation."""
    if situation.commission is None or not access.coordinates(user, situation.personne):
        raise PermissionDenied
    states.SITUATION.apply(situation, "decider", actor=states.COORDINATION, user=user)
    recorded = Decision.objects.create(situation=situation, saisie_par=user, **decision)
    notifications.DecisionCommission(recorded).send()
    return recorded


def alert_coordination(now=None):
    """Tells the coordination, once, about each fiche nobody took over within the alert delay.
    Idempotent."""
    now = now or timezone.now()
    late = FicheRelais.objects.filter(
        statut__in=states.PENDING,
        alerte_le=None,
        envoyee_le__lte=now - timedelta(days=settings.FICHE_RELAIS_ALERT_DAYS),
    ).select_related("personne__commune", "auteur")
    count = 0
    for fiche in late:
        with transaction.atomic():
            if not FicheRelais.objects.filter(pk=fiche.pk, alerte_le=None).update(alerte_le=now):
                continue
            notifications.AlerteRelais(fiche).send()
            count += 1
    return count


# Consent ---------------------------------------------------------------------------------------


def fiches_under(consentement):
    """The fiches sent under this consent: their recipients read them only while it holds
    (`access.readable_by`)."""
    return consentement.fiches.exclude(statut=Statut.BROUILLON)


@transaction.atomic
def revoquer(consentement, user, motif):
    """The person withdraws her consent (who recorded it, when, why). ValidationError when it
    was already withdrawn."""
    withdrawn = Consentement.objects.filter(pk=consentement.pk, revoque_le=None).update(
        revoque_le=timezone.now(), revoque_par=user, motif_revocation=motif
    )
    if not withdrawn:
        raise ValidationError("Ce consentement est déjà révoqué.")
    consentement.refresh_from_db()
    return consentement
