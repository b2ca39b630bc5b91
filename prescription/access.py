"""Who sees a prescription, and in which role. Everyone else gets a 404.

- the prescripteur who sent it (acts as prescripteur);
- the admins of the prescripteur's structure (read);
- the members of the receiving service's structure (act as the structure);
- the coordination SPIE of the territory where the person lives (read).
"""

from django.db.models import Q

from accounts.territories import coordinated_communes_filter
from catalogue.models import Membre
from catalogue.permissions import structure_ids
from prescription import states
from prescription.models import Prescription

READER = "lecture"


def visible_to(user):
    if not user.is_authenticated or not user.is_active:
        return Prescription.objects.none()
    return Prescription.objects.filter(
        Q(prescripteur=user)
        | Q(structure_prescriptrice_id__in=structure_ids(user, [Membre.Role.ADMIN]))
        | Q(service__structure_id__in=structure_ids(user))
        | coordinated_communes_filter(user)
    ).distinct()


def role_of(user, prescription):
    """`states.STRUCTURE`, `states.PRESCRIPTEUR`, READER, or None (not entitled)."""
    if not user.is_authenticated or not user.is_active:
        return None
    if prescription.service.structure_id in structure_ids(user):
        return states.STRUCTURE
    if prescription.prescripteur_id == user.pk:
        return states.PRESCRIPTEUR
    if visible_to(user).filter(pk=prescription.pk).exists():
        return READER
    return None
