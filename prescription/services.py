"""Domain logic of the fiche unique de prescription: send, answer, links, clocks."""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from catalogue.models import Service
from catalogue.referentiels import categorie_of
from prescription import emails, states
from prescription.models import PieceJointe, Prescription, Statut, person_key

LINK_SALT = "prescription.reponse"
NEW_LINK_INTERVAL = 3600  # seconds
REMINDER_AFTER = timedelta(days=10)
EXPIRY_AFTER = timedelta(days=30)
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
    emails.to_structure(
        prescription, "lien", "Nouveau lien pour répondre à une prescription",
        link_token=link_token(prescription),
    )  # fmt: skip
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
            prescription=prescription, fichier=uploaded, nom=uploaded.name[:255], type=kind,
            taille=uploaded.size,
        )  # fmt: skip
    states.apply(prescription, "envoyer", actor=states.PRESCRIPTEUR, user=prescripteur)
    emails.to_structure(
        prescription, "nouvelle", f"Nouvelle prescription vers « {service.nom} »",
        link_token=link_token(prescription),
    )  # fmt: skip
    emails.to_person(prescription, "confirmation", f"Votre orientation vers « {service.nom} »")
    return prescription


# Answers -----------------------------------------------------------------------------------------

NOTIFIED_TARGETS = {
    Statut.ACCEPTEE: "Prescription acceptée",
    Statut.REFUSEE: "Prescription refusée",
    Statut.RDV_FIXE: "Rendez-vous fixé",
    Statut.PERSONNE_RECUE: "Personne reçue",
    Statut.PERSONNE_ABSENTE: "Personne absente au rendez-vous",
    Statut.ANNULEE: "Prescription annulée",
}


def act(prescription, action_name, *, actor, user=None, via="compte", **changes):
    """Applies an action (see `states`) and tells those concerned."""
    prescription = states.apply(
        prescription, action_name, actor=actor, user=user, via=via, **changes
    )
    subject = NOTIFIED_TARGETS.get(prescription.statut)
    if subject and actor == states.STRUCTURE:
        emails.to_prescripteur(prescription, "reponse", f"{subject} : {prescription.service.nom}")
        if prescription.statut in (Statut.ACCEPTEE, Statut.REFUSEE, Statut.RDV_FIXE):
            emails.to_person(
                prescription, "reponse_personne", f"{subject} : {prescription.service.nom}"
            )
    if prescription.statut == Statut.ANNULEE:
        emails.to_structure(
            prescription, "annulee", f"Prescription annulée : {prescription.service.nom}"
        )
    return prescription


# Clocks ------------------------------------------------------------------------------------------


def send_reminders(now):
    due = Prescription.objects.filter(
        statut__in=[Statut.ENVOYEE, Statut.A_L_ETUDE],
        envoyee_le__lte=now - REMINDER_AFTER,
        relance_le=None,
    ).select_related("service__structure")
    count = 0
    for prescription in due:
        with transaction.atomic():
            if Prescription.objects.filter(pk=prescription.pk, relance_le=None).update(
                relance_le=now
            ):
                emails.to_structure(
                    prescription, "relance", f"Rappel : prescription en attente — {prescription.service.nom}",
                    link_token=link_token(prescription),
                )  # fmt: skip
                count += 1
    return count


def delete_attachments(prescription):
    for piece in prescription.pieces_jointes.all():
        piece.fichier.delete(save=False)
        piece.delete()


def expire(now):
    due = Prescription.objects.filter(
        statut__in=[Statut.ENVOYEE, Statut.A_L_ETUDE], envoyee_le__lte=now - EXPIRY_AFTER
    ).select_related("service__structure", "prescripteur")
    count = 0
    for prescription in due:
        with transaction.atomic():
            try:
                states.apply(prescription, "expirer", actor=states.SYSTEME, via="système")
            except states.TransitionRefusee:
                continue
            delete_attachments(prescription)
            subject = f"Prescription expirée sans réponse : {prescription.service.nom}"
            emails.to_prescripteur(prescription, "expiree", subject)
            emails.to_structure(prescription, "expiree", subject)
            emails.to_person(prescription, "expiree_personne", subject)
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
            delete_attachments(prescription)
            prescription.transitions.update(message="")
            Prescription.objects.filter(pk=prescription.pk).update(
                anonymisee_le=now, **PERSONAL_FIELDS
            )
            count += 1
    return count


def tick(now=None):
    """Reminders at J+10, expiry at J+30, anonymisation after the retention. Idempotent."""
    now = now or timezone.now()
    return {"relances": send_reminders(now), "expirees": expire(now), "anonymisees": anonymise(now)}
