"""Moderation of the catalogue (issue 20, item 2), after DORA's territory managers.

- A structure created by a professional (`create_structure`) stays unpublished until validated;
  a structure without admin that a professional claims (`membres.request_to_join`) keeps its
  state. Both are a `DemandeAdhesion` with role ADMIN, decided by the structure's *moderators*:
  the gestionnaires (superusers) and the members of the coordinations covering its commune
  (`accounts.territories`). Accepting it makes the user the first admin and publishes a created
  structure (`membres.decide`); until then the user has no right on it.
- « Publication après relecture » (`Structure.relecture_services`): a new service that a member
  who is not an admin publishes waits « en attente de relecture » (`held_for_review`) until an
  admin of the structure publishes it or sends it back to draft (`review`).

Each step is written in the object's history (Wagtail's log, actions in `LOG_ACTIONS`).
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from wagtail.models import ModelLogEntry

from accounts import territories
from catalogue import membres, notifications
from catalogue.models import DemandeAdhesion, Membre, Service, Structure
from catalogue.permissions import ADMIN_ONLY, structure_ids
from config import mail
from config.history import record

# action: (label, message shown in the history, over the entry's data; see config.history)
LOG_ACTIONS = {
    "catalogue.moderation.soumise": (
        "Soumise à validation",
        "Structure créée par {demandeur} : en attente de validation",
    ),
    "catalogue.moderation.validee": (
        "Structure validée",
        "Structure validée et publiée ; {demandeur} en devient administrateur",
    ),
    "catalogue.moderation.rejetee": (
        "Structure refusée",
        "Structure refusée : elle reste non publiée ({demandeur} n'en devient pas administrateur)",
    ),
    "catalogue.adhesion.acceptee": (
        "Demande acceptée",
        "{demandeur} rejoint la structure ({role})",
    ),
    "catalogue.adhesion.refusee": ("Demande refusée", "Demande de {demandeur} refusée ({role})"),
    "catalogue.relecture.demandee": (
        "Relecture demandée",
        "Soumis à la relecture d'un administrateur",
    ),
    "catalogue.relecture.publie": ("Publié après relecture", "Publié après relecture"),
    "catalogue.relecture.renvoye": ("Renvoyé en brouillon", "Renvoyé en brouillon après relecture"),
}
NOT_REVIEWED = {None, Service.Statut.BROUILLON, Service.Statut.A_RELIRE}


# Structures and their first admin -------------------------------------------------------------


def moderators(structure):
    """Active users who validate `structure` and its first admin: the gestionnaires and the
    coordinations of its commune's territories."""
    covering = territories.of_code_insee(structure.code_insee).coordinations()
    return (
        get_user_model()
        .objects.filter(Q(is_superuser=True) | Q(coordinations__in=covering), is_active=True)
        .distinct()
    )


def moderated_structures(user):
    """The structures `user` moderates: all for a gestionnaire, those of the communes of its
    coordinations' territories otherwise (none outside every coordination)."""
    if user.is_active and user.is_superuser:
        return Structure.objects.all()
    return Structure.objects.filter(code_insee__in=territories.coordinated_codes(user))


def pending_requests(user):
    """Requests for a first admin (claims and created structures) `user` may decide, oldest
    first."""
    return DemandeAdhesion.objects.filter(
        decidee_le=None, role=Membre.Role.ADMIN, structure__in=moderated_structures(user)
    ).select_related("user", "structure")


def requester(demande):
    """The requester as the history names them: « Nom Prénom (adresse) »."""
    return f"{demande.user} ({demande.user.email})"


def record_decision(demande, user, accepted):
    """Writes the decision on `demande` in its structure's history."""
    if demande.creation:
        action = "catalogue.moderation.validee" if accepted else "catalogue.moderation.rejetee"
    else:
        action = "catalogue.adhesion.acceptee" if accepted else "catalogue.adhesion.refusee"
    role = demande.get_role_display().lower()
    record(demande.structure, action, user, demandeur=requester(demande), role=role)


def notify_moderators(demande):
    url = mail.absolute(reverse("catalogue:moderation"))
    recipients = moderators(demande.structure)
    notifications.ValidationDemandee(demande, [user.email for user in recipients], url).send()


@transaction.atomic
def create_structure(user, structure, message=""):
    """Saves `structure` (a validated, unsaved instance) unpublished, with `user`'s request to
    be its first admin; the moderators hear of it. One creation pending per user."""
    if DemandeAdhesion.objects.filter(user=user, creation=True, decidee_le=None).exists():
        raise ValidationError(
            "Une structure que vous avez créée attend déjà sa validation : vous pourrez en créer "
            "une autre ensuite."
        )
    structure.est_publiee = False
    structure.save()
    demande = DemandeAdhesion.objects.create(
        user=user, structure=structure, role=Membre.Role.ADMIN, creation=True, message=message
    )
    record(structure, "catalogue.moderation.soumise", user, demandeur=requester(demande))
    notify_moderators(demande)
    return demande


# Publication après relecture ------------------------------------------------------------------


def held_for_review(service, user, previous_statut):
    """Does publishing `service` (its statut was `previous_statut`, None when new) by `user`
    wait for an admin's review? Not in a structure left without an active admin: nobody
    there could review it."""
    return (
        service.statut == Service.Statut.PUBLIE
        and previous_statut in NOT_REVIEWED
        and service.structure.relecture_services
        and not user.is_superuser
        and service.structure_id not in structure_ids(user, ADMIN_ONLY)
        and membres.admins(service.structure_id).exists()
    )


def hold_for_review(service, user, previous_statut):
    """Before any save by `user` that may publish `service` (the admin form, a model's copy):
    « en attente de relecture » instead of « publié » when `held_for_review`. Returns whether
    it was held; then call `submit_for_review` once saved."""
    held = held_for_review(service, user, previous_statut)
    if held:
        service.statut = Service.Statut.A_RELIRE
    return held


def submit_for_review(service, user):
    """After the save of a service held for review: history, and its structure's admins told."""
    record(service, "catalogue.relecture.demandee", user)
    url = mail.absolute(reverse("catalogue:moderation"))
    emails = membres.admins(service.structure_id).values_list("email", flat=True)
    notifications.ServiceARelire(service, user, list(emails), url).send()


def services_in_review_scope(user):
    """The services whose review `user` decides: those of the structures they administer (all
    for a gestionnaire)."""
    if user.is_active and user.is_superuser:
        return Service.objects.all()
    return Service.objects.filter(structure__in=structure_ids(user, ADMIN_ONLY))


def services_to_review(user):
    """Services waiting for a review by `user`, oldest first."""
    waiting = services_in_review_scope(user).filter(statut=Service.Statut.A_RELIRE)
    return waiting.select_related("structure").order_by("modifie_le")


def has_queues(user):
    """Does `user` moderate anything: a gestionnaire, a coordination's member, an admin?"""
    return user.is_active and (
        user.is_superuser or user.coordinations.exists() or bool(structure_ids(user, ADMIN_ONLY))
    )


def waiting_count(user):
    """How many decisions wait for `user`: requests to validate and services to review."""
    if not has_queues(user):
        return 0
    return pending_requests(user).count() + services_to_review(user).count()


@transaction.atomic
def review(service, user, accepted):
    """Publishes (`accepted`) or sends back to draft a service waiting for review, once (read
    again under lock: a second decision is refused). The member who submitted it hears it."""
    service = Service.objects.select_for_update().filter(pk=service.pk).first()
    if service is None or service.statut != Service.Statut.A_RELIRE:
        raise ValidationError("Ce service a déjà été relu.")
    service.statut = Service.Statut.PUBLIE if accepted else Service.Statut.BROUILLON
    service.save(update_fields=["statut", "modifie_le"])  # the search index follows
    action = "catalogue.relecture.publie" if accepted else "catalogue.relecture.renvoye"
    record(service, action, user)
    author = _submitter(service)
    if author is not None:
        notifications.ServiceRelu(service, accepted, author.email).send()
    return service


def _submitter(service):
    """Who submitted `service` for review last (from its history), or None."""
    entry = (
        ModelLogEntry.objects.for_instance(service)
        .filter(action="catalogue.relecture.demandee")
        .select_related("user")
        .first()
    )
    return entry.user if entry else None
