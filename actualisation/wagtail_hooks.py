"""On the admin home of a structure's members: its services to confirm and its open quality
tasks, each with the action that settles it."""

from django.utils import timezone

from wagtail import hooks
from wagtail.admin.ui.components import Component

from actualisation import services
from actualisation.models import TacheQualite
from catalogue.models import Structure
from catalogue.permissions import ANY_ROLE, structure_ids
from config import history


class ActualisationPanel(Component):
    name = "actualisation"
    template_name = "actualisation/admin_panel.html"
    order = 50

    def __init__(self, structures):
        self.structures = structures

    def get_context_data(self, parent_context):
        today = timezone.localdate()
        due = [
            services.line_to_confirm(service, today)
            for structure in self.structures
            for service in services.due_services(structure, today)
        ]
        tasks = TacheQualite.objects.filter(
            fermee_le=None, service__structure__in=self.structures
        ).select_related("service")
        csrf_token = parent_context.get("csrf_token") if parent_context else None
        return {"due": due, "tasks": tasks, "csrf_token": csrf_token}


@hooks.register("construct_homepage_panels")
def add_actualisation_panel(request, panels):
    structures = list(Structure.objects.filter(pk__in=structure_ids(request.user, ANY_ROLE)))
    if structures:
        panels.append(ActualisationPanel(structures))


@hooks.register("register_log_actions")
def register_actualisation_log_actions(actions):
    history.register(actions, services.LOG_ACTIONS)
