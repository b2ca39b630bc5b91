"""Domain logic of the fiche unique de prescription: send, answer, links, clocks."""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from catalogue.models import Service
from catalogue.referentiels import categorie_of
from config.workflow import Via
from notifications.base import forget_before
from prescription import notifications, states
from prescription.files import storage_name
from prescription.models import (
    EXPIRY_AFTER,
    REMINDER_AFTER,
    MotifRefus,
    PieceJointe,
    Prescription,
    Statut,
    person_key,
)

LINK_SALT = "prescription.reponse"
NEW_LINK_INTERVAL = 3600  # seconds
PRESCRIBABLE = Service.Statut.PUBLIE


class ServiceNonPrescriptible(Exception):
    pass


def check_prescribable(service):
    if service.statut != PRESCRIBABLE or not service.structure.est_publiee:
        raise ServiceNonPrescriptible(
            "Ce service n'accueille pas de nouvelles personnes pour le moment "
            f"({service.get_statut_display().lower()}) : il ne peut pas recevoir de prescription."
        )


# Links for the structure ------------------------------------------------------------------------


def link_token(prescription):
    return signing.dumps(prescription.pk, salt=LINK_SALT)


def prescription_from_token(token, allow_expired=False):
    """The prescription behind an answer link; None when tampered or (unless allowed) expired."""
    max_age = None if allow_expired else timedelta(days=settings.PRESCRIPTION_LINK_DAYS)
    try:
        pk = signing.loads(token, salt=LINK_SALT, max_age=max_age)
    except signing.BadSignature:
        return None
    return Prescription.objects.select_related("service__structure").filter(pk=pk).first()


def send_new_link(prescription):
    """E-mails a fresh link to the structure, once an hour at most per prescription (whoever
    holds an expired link cannot flood the service's inbox); False when it was not sent."""
    if not cache.add(f"prescription-nouveau-lien-{prescription.pk}", True, NEW_LINK_INTERVAL):
        return False
    notifications.NouveauLien(prescription, link_token(prescription)).send()
    return True


# Sending -----------------------------------------------------------------------------------------


def open_on_same_thematique(readable, service, nom, prenom, date_naissance):
    """Open prescriptions of this person on services sharing a thématique category, among
    `readable` (what the user may already read, `access.visible_to`: the warning tells nobody
    that the person is oriented somewhere he cannot see)."""
    categories = {categorie_of(slug) for slug in service.thematiques}
    candidates = (
        readable.open()
        .filter(personne_cle=person_key(nom, prenom, date_naissance))
        .select_related("service")
    )
    return [p for p in candidates if categories & {categorie_of(s) for s in p.service.thematiques}]


@transaction.atomic
def send(service, prescripteur, data, files, cle_idempotence):
    """Creates and sends the prescription; the same idempotency key returns the first one."""
    existing = Prescription.objects.filter(cle_idempotence=cle_idempotence).first()
    if existing:
        return existing
    check_prescribable(service)
    memberships = prescripteur.memberships.order_by("pk").values_list("structure_id", flat=True)
    prescription = Prescription.objects.create(
        service=service,
        prescripteur=prescripteur,
        structure_prescriptrice_id=memberships.first(),
        cle_idempotence=cle_idempotence,
        consentement_le=timezone.now(),
        consentement_par=prescripteur,
        **data,
    )
    for uploaded, kind in files:
        PieceJointe.objects.create(
            prescription=prescription, fichier=File(uploaded, name=storage_name(kind)),
            nom=uploaded.name[:255], type=kind, taille=uploaded.size,
        )  # fmt: skip
    states.apply(prescription, "envoyer", actor=states.PRESCRIPTEUR, user=prescripteur)
    notifications.Nouvelle(prescription, link_token(prescription)).send()
    notifications.Confirmation(prescription).send()
    return prescription


# Answers -----------------------------------------------------------------------------------------


def log_message(changes):
    """What the log keeps of an answer (the prescription's own fields keep only the last one):
    the refusal reason and every message written, labelled by whom it is for."""
    parts = []
    if motif := changes.get("motif_refus"):
        details = changes.get("motif_refus_precisions")
        parts.append(f"Motif : {MotifRefus(motif).label}" + (f" ({details})" if details else ""))
    if text := changes.get("message_prescripteur"):
        parts.append(f"Au prescripteur : {text}")
    if text := changes.get("message_personne"):
        parts.append(f"À la personne : {text}")
    return "\n".join(parts)


def act(prescription, action_name, *, actor, user=None, via=Via.COMPTE, message="", **changes):
    """Applies an action (see `states`), keeps its message in the log and tells those
    concerned."""
    prescription = states.apply(
        prescription, action_name, actor=actor, user=user, via=via,
        message=message or log_message(changes), **changes,
    )  # fmt: skip
    if prescription.statut in notifications.ANSWER_SUBJECTS and actor == states.STRUCTURE:
        notifications.Reponse(prescription).send()
        if prescription.statut in notifications.TOLD_TO_PERSON:
            notifications.ReponsePersonne(prescription).send()
    if prescription.statut == Statut.ANNULEE:
        notifications.Annulee(prescription, motif=message).send()
    return prescription


# Clocks ------------------------------------------------------------------------------------------


def send_reminders(now):
    due = Prescription.objects.filter(
        statut__in=states.UNANSWERED,
        envoyee_le__lte=now - REMINDER_AFTER,
        relance_le=None,
    ).select_related("service__structure")
    count = 0
    for prescription in due:
        with transaction.atomic():
            if Prescription.objects.filter(pk=prescription.pk, relance_le=None).update(
                relance_le=now
            ):
                notifications.Relance(prescription, link_token(prescription)).send()
                count += 1
    return count


def delete_attachments(prescription):
    for piece in prescription.pieces_jointes.all():
        piece.fichier.delete(save=False)
        piece.delete()


def expire(now):
    due = Prescription.objects.filter(
        statut__in=states.UNANSWERED, envoyee_le__lte=now - EXPIRY_AFTER
    ).select_related("service__structure", "prescripteur")
    count = 0
    for prescription in due:
        with transaction.atomic():
            try:
                states.apply(prescription, "expirer", actor=states.SYSTEME, via=Via.SYSTEME)
            except states.TransitionRefusee:
                continue
            delete_attachments(prescription)
            notifications.ExpireePrescripteur(prescription).send()
            notifications.ExpireeStructure(prescription).send()
            notifications.ExpireePersonne(prescription).send()
            count += 1
    return count


PERSONAL_FIELDS = {
    "nom": "Anonyme", "prenom": "Anonyme", "date_naissance": None, "telephone": "",
    "courriel": "", "identifiant_france_travail": "", "motif": "", "attentes": "",
    "disponibilites": "", "motif_refus_precisions": "", "message_prescripteur": "",
    "message_personne": "", "personne_cle": "",
}  # fmt: skip


def anonymise(now):
    retention = timedelta(days=30 * settings.PRESCRIPTION_RETENTION_MONTHS)
    due = Prescription.objects.filter(cloturee_le__lte=now - retention, anonymisee_le=None)
    count = 0
    for prescription in due:
        with transaction.atomic():
            # Conditional: of two ticks at once, one anonymises (and deletes the files).
            if not Prescription.objects.filter(pk=prescription.pk, anonymisee_le=None).update(
                anonymisee_le=now, **PERSONAL_FIELDS
            ):
                continue
            delete_attachments(prescription)
            prescription.transitions.update(message="")
            count += 1
    return count


def tick(now=None):
    """Reminders at J+10, expiry at J+30, anonymisation after the retention (and the record of
    the notifications sent before it). Idempotent."""
    now = now or timezone.now()
    retention = timedelta(days=30 * settings.PRESCRIPTION_RETENTION_MONTHS)
    return {
        "relances": send_reminders(now), "expirees": expire(now), "anonymisees": anonymise(now),
        "notifications_oubliees": forget_before(now - retention),
    }  # fmt: skip
