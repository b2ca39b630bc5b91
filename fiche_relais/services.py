"""The fiche relais: draft, send with consent, correct by versions, take over, alerts, reads."""

import copy
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import Coordination, coordinated_communes_filter
from catalogue.models import Membre
from config.french import de
from config.mail import absolute, send
from fiche_relais import access
from fiche_relais.models import (
    Consentement,
    Decision,
    Etape,
    FicheRelais,
    Lecture,
    SituationBloquee,
    Version,
)
from fiche_relais.template import empty_content
from prescription import access as prescription_access

Statut = FicheRelais.Statut


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
    content = copy.deepcopy(previous.contenu) if previous else empty_content()
    etape = personne.etape_en_cours
    if etape:
        content["date_entree"] = content.get("date_entree") or etape.debut.strftime("%d/%m/%Y")
        content["contact_referent"] = _contact(etape)
        previous_step = personne.etapes.exclude(pk=etape.pk).order_by("-debut", "-pk").first()
        content["contact_precedent"] = _contact(previous_step) if previous_step else ""
    prescriptions = (
        prescription_access.visible_to(auteur)
        .filter(personne_cle=personne.personne_cle)
        .select_related("service__structure")
    )
    lines = [
        f"{timezone.localtime(p.envoyee_le):%d/%m/%Y} : orientation vers « {p.service.nom} » "
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


def coordination_emails(personne):
    """The members of the coordinations whose territory holds the person's commune."""
    commune = personne.commune
    coordinations = Coordination.objects.filter(
        Q(departement_id=commune.departement_id) | Q(epci_id=commune.epci_id)
    )
    return set(coordinations.values_list("membres__email", flat=True)) - {None}


@transaction.atomic
def envoyer(fiche, user, *, destinataire=None, structure_destinataire=None, consentement=None):
    _check_writer(user, fiche)
    if fiche.statut != Statut.BROUILLON:
        raise ValidationError("Cette fiche est déjà envoyée : corrigez-la plutôt.")
    if (
        consentement is None
        or consentement.revoque_le
        or consentement.personne_id != fiche.personne_id
    ):
        raise ValidationError(
            "Sans le consentement de la personne, la fiche ne peut pas être envoyée."
        )
    if destinataire is None and structure_destinataire is None:
        raise ValidationError("Choisissez le référent ou la structure qui prend le relais.")
    now = timezone.now()
    fiche.destinataire = destinataire
    fiche.structure_destinataire = structure_destinataire or structure_of(destinataire)
    fiche.consentement = consentement
    fiche.statut = Statut.ENVOYEE
    fiche.envoyee_le = now
    fiche.save()
    Version.objects.filter(fiche=fiche, envoyee_le=None).update(envoyee_le=now)
    _notify_sent(fiche)
    return fiche


def structure_of(user):
    membership = user.memberships.order_by("pk").first() if user else None
    return membership.structure if membership else None


def _notify_sent(fiche):
    """To the recipient (or the recipient structure's admins, who will assign someone), the
    coordination in copy."""
    if fiche.destinataire:
        recipients = {fiche.destinataire.email}
    else:
        recipients = set(
            Membre.objects.filter(
                structure=fiche.structure_destinataire, role=Membre.Role.ADMIN
            ).values_list("user__email", flat=True)
        )
    # Subjects name nobody: a subject is shown in notifications and kept in mail logs.
    context = {"fiche": fiche, "detail": absolute(fiche.get_absolute_url())}
    for email in recipients:
        send("fiche_relais/emails/envoyee.txt", email, "Une fiche relais vous est adressée",
             **context)  # fmt: skip
    copy_subject = f"Copie : fiche relais adressée à {fiche.structure_destinataire}"
    for email in coordination_emails(fiche.personne) - recipients:
        send("fiche_relais/emails/copie.txt", email, copy_subject, **context)


@transaction.atomic
def assigner(fiche, user, referent):
    if not access.can_assign(user, fiche):
        raise PermissionDenied
    if not referent.memberships.filter(structure=fiche.structure_destinataire).exists():
        raise ValidationError(f"{referent} n'est pas membre {de(fiche.structure_destinataire)}.")
    fiche.destinataire = referent
    fiche.save(update_fields=["destinataire"])
    return fiche


@transaction.atomic
def prendre_le_relais(fiche, user, *, dispositif, contrat):
    """« Je prends le relais » : the previous étape ends, the new one starts with `user`."""
    if not access.can_take_over(user, fiche):
        raise ValidationError(
            "Seul le référent destinataire peut prendre le relais de cette fiche."
        )
    today = timezone.localdate()
    Etape.objects.filter(personne=fiche.personne, fin=None).update(
        fin=today, motif_fin=f"Relais vers {user} ({fiche.structure_destinataire})"
    )
    etape = Etape.objects.create(
        personne=fiche.personne, referent=user, structure=fiche.structure_destinataire,
        dispositif=dispositif, contrat=contrat, debut=today,
    )  # fmt: skip
    fiche.statut = Statut.PRISE_EN_CHARGE
    fiche.prise_en_charge_le = timezone.now()
    fiche.prise_en_charge_par = user
    fiche.save()
    return etape


def lire(fiche, user):
    """Records the read (who, when, which version) and returns the version read."""
    version = fiche.derniere_version
    Lecture.objects.create(fiche=fiche, version=version, par=user)
    return version


def en_attente_depuis(fiche, now=None):
    if fiche.statut != Statut.ENVOYEE:
        return None
    return (now or timezone.now()) - fiche.envoyee_le


def alerte(fiche, now=None):
    """« alerte » after ACKNOWLEDGE_ALERT_DAYS without a taker, « risque de rupture » after 15."""
    waited = en_attente_depuis(fiche, now)
    if waited is None:
        return ""
    if waited > timedelta(days=settings.FICHE_RELAIS_RUPTURE_DAYS):
        return "risque de rupture"
    if waited > timedelta(days=settings.FICHE_RELAIS_ALERT_DAYS):
        return "alerte"
    return ""


def etapes_suivies(user):
    """The référent's file active: the open étapes they lead, with their person."""
    return Etape.objects.filter(referent=user, fin=None).select_related("personne__commune")


def fiches_en_attente(user):
    return FicheRelais.objects.filter(statut=Statut.ENVOYEE, destinataire=user)


def fiches_du_territoire(user):
    return FicheRelais.objects.exclude(statut=Statut.BROUILLON).filter(
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
    subject = "Une situation bloquée est signalée à la coordination SPIE"
    context = {"situation": situation, "detail": absolute(situation.get_absolute_url())}
    for email in coordination_emails(personne) - {user.email}:
        send("fiche_relais/emails/situation.txt", email, subject, **context)
    return situation


@transaction.atomic
def inscrire(situation, commission, user):
    if (
        not access.coordinates(user, situation.personne)
        or not commission.coordination.membres.filter(pk=user.pk).exists()
    ):
        raise PermissionDenied
    situation.commission = commission
    situation.save(update_fields=["commission"])


@transaction.atomic
def decider(situation, user, **decision):
    """Records the commission's decision; the référents of the parcours are told."""
    if situation.commission is None or not access.coordinates(user, situation.personne):
        raise PermissionDenied
    recorded = Decision.objects.create(situation=situation, saisie_par=user, **decision)
    current = situation.personne.etapes.filter(fin=None)
    referents = set(current.values_list("referent__email", flat=True))
    referents.add(situation.signalee_par.email)
    subject = "Décision de la commission SPIE sur une situation bloquée"
    context = {"decision": recorded, "detail": absolute(situation.personne.get_absolute_url())}
    for email in referents:
        send("fiche_relais/emails/decision.txt", email, subject, **context)
    return recorded


def alert_coordination(now=None):
    """Tells the coordination, once, about each fiche nobody took over within the alert delay.
    Idempotent."""
    now = now or timezone.now()
    late = FicheRelais.objects.filter(
        statut=Statut.ENVOYEE,
        alerte_le=None,
        envoyee_le__lte=now - timedelta(days=settings.FICHE_RELAIS_ALERT_DAYS),
    ).select_related("personne__commune", "auteur")
    count = 0
    for fiche in late:
        with transaction.atomic():
            if not FicheRelais.objects.filter(pk=fiche.pk, alerte_le=None).update(alerte_le=now):
                continue
            subject = f"Relais non pris : fiche relais envoyée le {timezone.localtime(fiche.envoyee_le):%d/%m/%Y}"
            context = {"fiche": fiche, "detail": absolute(fiche.get_absolute_url())}
            for email in coordination_emails(fiche.personne):
                send("fiche_relais/emails/alerte.txt", email, subject, **context)
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
