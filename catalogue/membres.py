"""Structure membership: invitations by signed link, acceptance, removal."""

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from catalogue.models import Invitation, Membre

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
    if Membre.objects.filter(structure=structure, user__email=email).exists():
        raise ValidationError(f"{email} est déjà membre de {structure}.")
    invitation = Invitation.objects.create(
        structure=structure, email=email, role=role, invitee_par=invited_by
    )
    url = settings.WAGTAILADMIN_BASE_URL + reverse(
        "catalogue:invitation", args=[invitation_token(invitation)]
    )
    context = {"invitation": invitation, "url": url, "days": settings.INVITATION_MAX_AGE_DAYS}
    transaction.on_commit(
        lambda: send_mail(
            subject=f"Invitation à rejoindre {structure} sur le portail de l'offre d'insertion",
            message=render_to_string("catalogue/emails/invitation.txt", context),
            from_email=None,
            recipient_list=[email],
        )
    )
    return invitation


def accept(invitation, user):
    if user.email.lower() != invitation.email:
        raise ValidationError(
            f"Cette invitation est destinée à {invitation.email}. Connectez-vous avec cette adresse."
        )
    membre, _ = Membre.objects.get_or_create(
        user=user, structure=invitation.structure, defaults={"role": invitation.role}
    )
    invitation.acceptee_le = timezone.now()
    invitation.save(update_fields=["acceptee_le"])
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
