"""Who may do what in the Wagtail admin: each member acts only on their own structures.

Members of a structure create, edit and publish its services; its admins also edit the structure,
delete its services and manage its members, and manage the service models it owns (a network's
« modèles de service », copied by other structures from `catalogue.admin_modeles`). Superusers
(staff, the gestionnaires) do everything.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q

from wagtail.permission_policies.base import BasePermissionPolicy

from catalogue.models import Membre, ModeleService, Service, Structure

ADMIN_ONLY = [Membre.Role.ADMIN]
ANY_ROLE = [Membre.Role.ADMIN, Membre.Role.MEMBRE]


def _is_staff(user):
    return user.is_active and user.is_superuser


def structure_ids(user, roles=ANY_ROLE):
    if not user.is_authenticated:
        return set()
    return set(user.memberships.filter(role__in=roles).values_list("structure_id", flat=True))


class StructureScopedPolicy(BasePermissionPolicy):
    """`roles_by_action` maps an action to the membership roles allowed to perform it;
    `structure_field` leads from an instance to its structure ("" for a structure itself)."""

    roles_by_action: dict
    structure_field: str

    def _roles(self, actions):
        return {role for action in actions for role in self.roles_by_action.get(action, [])}

    def user_has_permission(self, user, action):
        return self.user_has_any_permission(user, [action])

    def user_has_any_permission(self, user, actions):
        if _is_staff(user):
            return True
        roles = self._roles(actions)
        return bool(roles) and user.is_active and bool(structure_ids(user, roles))

    def users_with_any_permission(self, actions):
        roles = self._roles(actions)
        return (
            get_user_model()
            .objects.filter(Q(is_superuser=True) | Q(memberships__role__in=roles), is_active=True)
            .distinct()
        )

    def _structure_id(self, instance):
        return (
            getattr(instance, f"{self.structure_field}_id") if self.structure_field else instance.pk
        )

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_any_permission_for_instance(user, [action], instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        if _is_staff(user):
            return True
        roles = self._roles(actions)
        return (
            bool(roles)
            and user.is_active
            and self._structure_id(instance) in structure_ids(user, roles)
        )

    def instances_user_has_any_permission_for(self, user, actions):
        if _is_staff(user):
            return self.model._default_manager.all()
        lookup = f"{self.structure_field}__in" if self.structure_field else "pk__in"
        return self.model._default_manager.filter(
            **{lookup: structure_ids(user, self._roles(actions))}
        )

    def users_with_any_permission_for_instance(self, actions, instance):
        return self.users_with_any_permission(actions).filter(
            Q(is_superuser=True) | Q(memberships__structure_id=self._structure_id(instance))
        )


class ServicePolicy(StructureScopedPolicy):
    structure_field = "structure"
    roles_by_action = {
        "add": ANY_ROLE,
        "change": ANY_ROLE,
        "view": ANY_ROLE,
        "delete": ADMIN_ONLY,
    }


class StructurePolicy(StructureScopedPolicy):
    structure_field = ""
    roles_by_action = {"change": ADMIN_ONLY, "view": ANY_ROLE}


service_policy = ServicePolicy(Service)
structure_policy = StructurePolicy(Structure)


class ModelePolicy(StructureScopedPolicy):
    """Only the owner structure's admins act on a model in the snippets' admin; every member
    reads the models on the « Modèles de service » page."""

    structure_field = "structure"
    roles_by_action = dict.fromkeys(["add", "change", "view", "delete"], ADMIN_ONLY)


modele_policy = ModelePolicy(ModeleService)
