"""Staff manage the coordinations SPIE (territory and members) in the Wagtail admin."""

from django import forms

from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from accounts.models import Coordination
from territoires.models import EPCI, Departement


class CoordinationForm(forms.ModelForm):
    class Meta:
        model = Coordination
        fields = ["nom", "departement", "epci", "membres"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Without their contours: a choice list need not load 1,255 EPCI geometries.
        self.fields["departement"].queryset = Departement.objects.only("code", "nom")
        self.fields["epci"].queryset = EPCI.objects.only("code", "nom").order_by("nom")


class CoordinationViewSet(ModelViewSet):
    model = Coordination
    icon = "group"
    menu_label = "Coordinations SPIE"
    add_to_admin_menu = True
    list_display = ["nom", "departement", "epci"]

    def get_form_class(self, for_update=False):
        return CoordinationForm


@hooks.register("register_admin_viewset")
def register_coordination_viewset():
    return CoordinationViewSet("coordinations")
