from django.contrib.auth.backends import BaseBackend

ADMIN_ACCESS_PERMISSION = "wagtailadmin.access_admin"


class StructureMemberBackend(BaseBackend):
    """Opens the Wagtail admin to every member of a structure.

    What a member may do there is decided per structure by the catalogue's permission policies.
    """

    def has_perm(self, user_obj, perm, obj=None):
        if perm != ADMIN_ACCESS_PERMISSION or not user_obj.is_active:
            return False
        return user_obj.memberships.exists()
