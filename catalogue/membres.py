"""Structure membership: invitations by signed link, requests to join, removal."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from catalogue import moderation, notifications
from catalogue.models import DemandeAdhesion, Invitation, Membre, Structure
from config import mail
from config.french import de

MAX_STRUCTURES_FOUND = 20

INVITATION_SALT = "catalogue.invitation"


def invitation_token(invitation):
    return signing.dumps(invitation.pk, salt=INVITATION_SALT)


def invitation_from_token(token):
    """The pending invitation behind a link, or None if the link is tampered, expired or used."""
    try:
        pk = signing.loads(
            token, salt=INVITATION_SALT, max_age=settings.INVITATION_MAX_AGE_DAYS * 24 * 3600
        )
    except signing.BadSignature:
        return None
    return Invitation.objects.select_related("structure").filter(pk=pk, acceptee_le=None).first()


def invite(structure, email, role, invited_by):
    email = email.lower()
    if Membre.objects.filter(structure=structure, user__email__iexact=email).exists():
        raise ValidationError(f"{email} est déjà membre {de(structure)}.")
    invitation = Invitation.objects.create(
        structure=structure, email=email, role=role, invitee_par=invited_by
    )
    url = mail.absolute(reverse("catalogue:invitation", args=[invitation_token(invitation)]))
    notifications.Invitation(invitation, url).send()
    return invitation


def check_recipient(invitation, user):
    """ValidationError unless `user` is the person invited."""
    if user.email.lower() != invitation.email.lower():
        raise ValidationError(
            f"Cette invitation est destinée à {invitation.email}. Connectez-vous avec cette adresse."
        )


def accept(invitation, user):
    check_recipient(invitation, user)
    membre, _ = Membre.objects.get_or_create(
        user=user, structure=invitation.structure, defaults={"role": invitation.role}
    )
    invitation.acceptee_le = timezone.now()
    invitation.save(update_fields=["acceptee_le"])
    if user.courriel_verifie_le is None:  # the link came to this address
        user.courriel_verifie_le = invitation.acceptee_le
        user.save(update_fields=["courriel_verifie_le"])
    return membre


def remove(membre):
    """Removes a member; a structure always keeps at least one admin."""
    is_last_admin = (
        membre.role == Membre.Role.ADMIN
        and not Membre.objects.filter(structure_id=membre.structure_id, role=Membre.Role.ADMIN)
        .exclude(pk=membre.pk)
        .exists()
    )
    if is_last_admin:
        raise ValidationError(
            "Impossible de retirer le dernier administrateur : nommez d'abord un autre administrateur."
        )
    membre.delete()


def structures_of_organisation(siret):
    """The structures of a person's organisation, known by ProConnect's SIRET: the same
    establishment first, then the other establishments of the same company."""
    if not (siret and len(siret) == 14 and siret.isdigit()):
        return []
    same_company = Structure.objects.filter(est_publiee=True, siret__startswith=siret[:9])
    return sorted(same_company[:MAX_STRUCTURES_FOUND], key=lambda s: (s.siret != siret, s.nom))


def find_structures(words):
    """Published structures whose name or commune contains `words`, or with that SIRET."""
    words = words.strip()
    if len(words) < 3:
        return Structure.objects.none()
    return Structure.objects.filter(
        models.Q(nom__icontains=words) | models.Q(commune__icontains=words) | models.Q(siret=words),
        est_publiee=True,
    ).order_by("nom")[:MAX_STRUCTURES_FOUND]


def admins(structure):
    """The active admins of `structure` (its « référents outils numériques »)."""
    return get_user_model().objects.filter(
        is_active=True, memberships__structure=structure, memberships__role=Membre.Role.ADMIN
    )


def request_to_join(user, structure, message=""):
    """Asks its admins; a structure without admin is *claimed*: the user asks to become its
    first admin, and its moderators decide (`catalogue.moderation`)."""
    if Membre.objects.filter(user=user, structure=structure).exists():
        raise ValidationError(f"Vous êtes déjà membre {de(structure)}.")
    if DemandeAdhesion.objects.filter(user=user, structure=structure, decidee_le=None).exists():
        raise ValidationError(f"Votre demande pour rejoindre {structure} est déjà en attente.")
    structure_admins = list(admins(structure))
    role = Membre.Role.MEMBRE if structure_admins else Membre.Role.ADMIN
    demande = DemandeAdhesion.objects.create(
        user=user, structure=structure, message=message, role=role
    )
    if structure_admins:
        url = mail.absolute(reverse("membres", args=[structure.pk]))
        notifications.DemandeAdhesion(demande, structure_admins, url).send()
    else:
        moderation.notify_moderators(demande)
    return demande


def decide(demande, decided_by, accepted):
    """Accepts or refuses a pending request, once: a second decision is refused. Accepted, the
    user gets the role asked (a first admin) and a structure created by them is published.
    The decision is written in the structure's history."""
    decided = DemandeAdhesion.objects.filter(pk=demande.pk, decidee_le=None).update(
        decidee_le=timezone.now(), decidee_par=decided_by, acceptee=accepted
    )
    if not decided:
        raise ValidationError("Cette demande a déjà été traitée.")
    if accepted:
        membre, _ = Membre.objects.get_or_create(
            user=demande.user, structure=demande.structure, defaults={"role": demande.role}
        )
        if membre.role != demande.role == Membre.Role.ADMIN:
            membre.role = demande.role
            membre.save(update_fields=["role"])
        if demande.creation:
            demande.structure.est_publiee = True
            demande.structure.save(update_fields=["est_publiee"])  # the search index follows
    moderation.record_decision(demande, decided_by, accepted)
    url = mail.absolute(reverse("accounts:espace"))
    notifications.DemandeDecidee(demande, accepted, url).send()
