"""Who reads a fiche relais. Everyone else gets a 404.

- its author, until the next référent takes over and for one month after (then no longer);
- once sent: the recipient référent, the admins of the recipient structure until someone is
  assigned, and the coordination SPIE of the territory where the person lives;
- consent revoked: only the author (same window) and the coordination.
"""

from django.db.models import Q
from django.utils import timezone

from accounts.territories import coordinated_communes_filter, covers
from catalogue.models import Membre
from catalogue.permissions import structure_ids
from fiche_relais import states
from fiche_relais.models import PREVIOUS_REFERENT_ACCESS, FicheRelais


def _as_author(user, now):
    return Q(auteur=user) & (
        Q(prise_en_charge_le=None) | Q(prise_en_charge_le__gt=now - PREVIOUS_REFERENT_ACCESS)
    )


def _as_recipient(user):
    """The référent while pending and once taken; the receiving structure's admins until they
    designate one. A replaced fiche is no longer theirs."""
    admin_of = structure_ids(user, [Membre.Role.ADMIN])
    queue = Q(statut__in=states.PENDING, destinataire=None, structure_destinataire_id__in=admin_of)
    return (Q(destinataire=user) & ~Q(statut=states.F.REMPLACEE)) | queue


def readable_by(user, now=None):
    if not user.is_authenticated or not user.is_active:
        return FicheRelais.objects.none()
    now = now or timezone.now()
    sent = Q(statut__in=states.SENT)
    consent_kept = Q(consentement__revoque_le=None)
    coordination = sent & coordinated_communes_filter(user, "personne__commune")
    return FicheRelais.objects.filter(
        _as_author(user, now) | coordination | (sent & consent_kept & _as_recipient(user))
    ).distinct()


def can_read(user, fiche):
    return readable_by(user).filter(pk=fiche.pk).exists()


def can_write(user, fiche):
    """The author drafts, sends and corrects until the next référent takes over."""
    return fiche.auteur_id == user.pk and fiche.statut in states.WRITABLE


def can_take_over(user, fiche):
    return fiche.statut in states.PENDING and fiche.destinataire_id == user.pk


def can_assign(user, fiche):
    return (
        fiche.statut in states.PENDING
        and fiche.destinataire_id is None
        and fiche.structure_destinataire_id in structure_ids(user, [Membre.Role.ADMIN])
    )


def coordinates(user, personne):
    """Is `user` in the coordination of the territory where the person lives?"""
    return covers(user, personne.commune)
