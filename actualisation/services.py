"""The actualisation's domain logic: digests, one-click confirmation, quality tasks, campaigns."""

from datetime import timedelta

from django.core import signing
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.territories import coordinated_codes
from actualisation import notifications
from actualisation.models import Campagne, CampagneStructure, Rappel, TacheQualite
from catalogue import fraicheur, membres
from catalogue.models import Membre, Service, Structure
from config import mail
from config.history import record
from prescription.models import Prescription
from territoires.models import Commune

CONFIRMATION_SALT = "actualisation.confirmer"
SIGNED_LINK = "lien signé"
# action: (label, message shown in the service's history, over the entry's data; see
# config.history)
LOG_ACTIONS = {
    "actualisation.confirme": ("Confirmé à jour", "Confirmé « toujours à jour » par {par}"),
    "actualisation.signalement": ("Erreur signalée", "Erreur signalée sur la fiche publique"),
    "actualisation.tache_close": ("Signalement clos", "Signalement qualité clos : {issue}"),
}
# A confirmation link outlives the next monthly digest.
CONFIRMATION_LINK_DAYS = 45


# Confirmation ---------------------------------------------------------------------------------


def confirmation_link(service):
    token = signing.dumps(service.pk, salt=CONFIRMATION_SALT)
    return mail.absolute(reverse("actualisation:confirmer", args=[token]))


def edit_link(service):
    return mail.absolute(reverse("wagtailsnippets_catalogue_service:edit", args=[service.pk]))


def service_of_token(token):
    """The service a link names; raises signing.SignatureExpired or BadSignature."""
    pk = signing.loads(token, salt=CONFIRMATION_SALT, max_age=CONFIRMATION_LINK_DAYS * 86400)
    return Service.objects.select_related("structure").get(pk=pk)


def confirm(service, user=None):
    """« Toujours à jour »: the listing's date moves to today (the index follows, through the
    save) and its open quality tasks close as « nothing wrong »; written in the service's
    history with who confirmed: `user`, or « lien signé » (None: the digest's signed link)."""
    close_tasks(service, corrected=False, user=user)
    service.date_maj = timezone.localdate()
    service.save(update_fields=["date_maj", "modifie_le"])
    who = f"{user} ({user.email})" if user else SIGNED_LINK
    record(service, "actualisation.confirme", user, par=who)


def close_tasks(service, corrected=True, user=None):
    """Closes the open quality tasks of `service` (see `close_task`)."""
    for task in TacheQualite.objects.filter(service=service, fermee_le=None):
        close_task(task, corrected, user)


# Digests --------------------------------------------------------------------------------------


def due_services(structure, today):
    services = structure.services.filter(statut=Service.Statut.PUBLIE).order_by("date_maj", "nom")
    return [s for s in services if s.etat_fraicheur(today) != fraicheur.A_JOUR]


def admin_emails(structure):
    return sorted(admin.email for admin in membres.admins(structure))


def claim_link(structure):
    """Where a structure without admin is claimed (the join flow: its moderators decide)."""
    return mail.absolute(reverse("accounts:rejoindre", args=[structure.pk]))


def structure_recipients(structure):
    """Who hears about a structure's offer: ([addresses], claim link or None) — its admins,
    else the public e-mail of a published structure, with the link to claim it."""
    emails = admin_emails(structure)
    if emails:
        return emails, None
    if structure.est_publiee and structure.courriel:
        return [structure.courriel], claim_link(structure)
    return [], None


# A digest still unsent this long after it was asked for (the worker gave up: RETRY_DELAYS of
# config/mail.py add up to less) is asked for again.
DIGEST_ASKED_AGAIN_AFTER = timedelta(days=1)


def send_digests(today=None):
    """Once a month, each structure with services to update hears it (its admins, else its
    public e-mail: `structure_recipients`); returns how many digests were handed to the
    worker. Idempotent and safe when two run at once: the month's `Rappel` is claimed first
    (one per structure and month), the worker sends it (`send_digest`) and only then records
    it as sent."""
    today = today or timezone.localdate()
    month = today.replace(day=1)
    already = Rappel.objects.filter(mois=month).values("structure_id")
    reachable = Q(membres__role=Membre.Role.ADMIN) | (Q(est_publiee=True) & ~Q(courriel=""))
    # Due means older than its frequency, which is at least a month.
    stale = Q(
        services__statut=Service.Statut.PUBLIE,
        services__date_maj__lte=fraicheur.add_months(today, -1),
    )
    structures = Structure.objects.exclude(pk__in=already).filter(reachable).filter(stale)
    queued = 0
    for structure in structures.distinct():
        services = due_services(structure, today)
        if not services or not structure_recipients(structure)[0]:
            continue
        rappel, created = Rappel.objects.get_or_create(
            structure=structure, mois=month, defaults={"services": len(services)}
        )
        if created:
            _queue(rappel)
            queued += 1
    for rappel in Rappel.objects.filter(
        envoye_le=None, demande_le__lt=timezone.now() - DIGEST_ASKED_AGAIN_AFTER
    ):
        _queue(rappel)
    return queued


def _queue(rappel):
    from actualisation.tasks import send_digest

    transaction.on_commit(lambda: send_digest.enqueue(rappel.pk))


@transaction.atomic
def deliver_digest(rappel_id):
    """Sends the digest of this `Rappel` (services due today) to `structure_recipients`, then
    records it as sent; nothing when already sent; the `Rappel` is deleted when nothing is due
    any more. Raises one of config.mail.FAILURES when the mail server fails (nothing recorded)."""
    rappel = (
        Rappel.objects.select_for_update()
        .select_related("structure")
        .filter(pk=rappel_id, envoye_le=None)
        .first()
    )
    if rappel is None:
        return
    today = timezone.localdate()
    structure = rappel.structure
    services = due_services(structure, today)
    recipients, claim = structure_recipients(structure)
    if not services or not recipients:
        rappel.delete()
        return
    lines = [line_to_confirm(service, today) for service in services]
    tasks = TacheQualite.objects.filter(service__structure=structure, fermee_le=None)
    notifications.Digest(structure, lines, list(tasks), recipients, claim).send(now=True)
    rappel.envoye_le = timezone.now()
    rappel.services = len(services)
    rappel.save(update_fields=["envoye_le", "services"])


def line_to_confirm(service, today):
    """A service as the digest, a campaign and the admin home show it, with its two links."""
    return {
        "service": service,
        "etat": fraicheur.etat(service.date_maj, service.frequence_maj, today),
        "anciennete": fraicheur.anciennete(service.date_maj, today),
        "confirmer": confirmation_link(service),
        "modifier": edit_link(service),
    }


# Quality tasks --------------------------------------------------------------------------------


def report_error(service, details, email=""):
    """« Signaler une erreur » on the public page: opens a quality task for `service` (its
    structure is told, the coordination sees it on its page); `email`, optional, is kept only
    to tell the reporter once it is corrected (never shown nor sent to the structure)."""
    task = TacheQualite.objects.create(
        service=service, motif=TacheQualite.SIGNALEMENT, details=details,
        courriel_signalement=email.lower(),
    )  # fmt: skip
    record(service, "actualisation.signalement")
    emails, claim = structure_recipients(service.structure)
    notifications.ErreurSignalee(task, emails, claim).send()
    return task


def close_task(task, corrected, user=None):
    """Closes an open task, once (a conditional update: False when it was already closed),
    as `corrected` or not, erasing the reporter's address; a reporter who left one hears that
    the error is corrected. Written in the service's history."""
    closed = TacheQualite.objects.filter(pk=task.pk, fermee_le=None).update(
        fermee_le=timezone.now(), corrigee=corrected, fermee_par=user, courriel_signalement=""
    )
    if not closed:
        return False
    if corrected and task.courriel_signalement:
        notifications.ErreurCorrigee(task.service, task.courriel_signalement).send()
    issue = "corrigé" if corrected else "rien à corriger"
    record(task.service, "actualisation.tache_close", user, issue=issue)
    return True


# A reporter's address is kept at most this long when the task stays open (registre des
# traitements, templates/donnees_personnelles.html).
REPORTER_ADDRESS_DAYS = 183


def forget_reporters(now=None):
    """Erases the reporters' addresses of tasks open for more than REPORTER_ADDRESS_DAYS;
    returns how many. Idempotent (run daily by `actualisation_tick`)."""
    cutoff = (now or timezone.now()) - timedelta(days=REPORTER_ADDRESS_DAYS)
    return (
        TacheQualite.objects.filter(ouverte_le__lt=cutoff)
        .exclude(courriel_signalement="")
        .update(courriel_signalement="")
    )


def open_task(prescription_id):
    """After a refusal (read again: the refusal wrote its motif with a queryset update)."""
    prescription = Prescription.objects.select_related("service").get(pk=prescription_id)
    if prescription.motif_refus in TacheQualite.MOTIFS:
        TacheQualite.objects.get_or_create(
            service=prescription.service,
            motif=prescription.motif_refus,
            fermee_le=None,
            defaults={"prescription": prescription},
        )


# Coordination ---------------------------------------------------------------------------------


def hidden_services(user, today):
    """Published services of the territory not confirmed for 12 months (hidden from the public)."""
    cutoff = fraicheur.visible_publiquement_depuis(today)
    return (
        Service.objects.publies()
        .filter(code_insee__in=coordinated_codes(user), date_maj__lt=cutoff)
        .select_related("structure")
        .order_by("date_maj")
    )


def open_tasks(user):
    return TacheQualite.objects.filter(
        fermee_le=None, service__code_insee__in=coordinated_codes(user)
    ).select_related("service__structure")


# Campaigns ------------------------------------------------------------------------------------


def territory_codes(code):
    """Communes of a département (2–3 characters) or of an EPCI (9-digit SIREN)."""
    field = "epci" if len(code) == 9 else "departement"
    return Commune.objects.filter(**{field: code}).values("code_insee")


def concerned_services(territoire, thematiques):
    services = Service.objects.publies().filter(code_insee__in=territory_codes(territoire))
    if thematiques:
        wanted = Q()
        for slug in thematiques:
            wanted |= Q(thematiques__icontains=f'"{slug}')
        services = services.filter(wanted)
    return services


@transaction.atomic
def launch_campaign(coordination, user, nom, territoire, thematiques):
    campagne = Campagne.objects.create(
        coordination=coordination, nom=nom, territoire=territoire, thematiques=thematiques,
        creee_par=user,
    )  # fmt: skip
    by_structure = {}
    for service in concerned_services(territoire, thematiques).select_related("structure"):
        by_structure.setdefault(service.structure, []).append(service)
    for structure, services in by_structure.items():
        target = CampagneStructure.objects.create(campagne=campagne, structure=structure)
        target.services.set(services)
        _send_request(campagne, structure, services)
    return campagne


def _send_request(campagne, structure, services, relance=False):
    today = timezone.localdate()
    lines = [line_to_confirm(service, today) for service in services]
    emails, claim = structure_recipients(structure)
    notifications.Campagne(campagne, structure, lines, relance, emails, claim).send()


def responses(campagne):
    """Per structure: the services concerned, how many were confirmed or edited since the
    campaign, and that share in %."""
    since = timezone.localdate(campagne.envoyee_le)
    rows = []
    for target in campagne.structures.select_related("structure").prefetch_related("services"):
        services = list(target.services.all())
        reviewed = sum(service.date_maj >= since for service in services)
        rows.append({"structure": target.structure, "services": services,
                     "revus": reviewed, "taux": round(100 * reviewed / len(services))})  # fmt: skip
    return rows


def response_rate(rows):
    """Share of structures that reviewed all their services, in %."""
    if not rows:
        return 0
    complete = sum(row["revus"] == len(row["services"]) for row in rows)
    return round(100 * complete / len(rows))


class AlreadyRelaunched(Exception):
    pass


@transaction.atomic
def relaunch(campagne):
    """Once: the structures that have not reviewed everything hear again."""
    updated = Campagne.objects.filter(pk=campagne.pk, relancee_le=None).update(
        relancee_le=timezone.now()
    )
    if not updated:
        raise AlreadyRelaunched
    late = [row for row in responses(campagne) if row["revus"] < len(row["services"])]
    for row in late:
        _send_request(campagne, row["structure"], row["services"], relance=True)
    return len(late)
