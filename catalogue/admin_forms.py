from django import forms
from django.utils import timezone

from wagtail.admin.forms import WagtailAdminModelForm

from catalogue.models import Membre, Structure
from catalogue.permissions import ANY_ROLE, structure_ids


class CatalogueAdminForm(WagtailAdminModelForm):
    """Every save from the admin is a fresh update: `date_maj` becomes today."""

    def save(self, commit=True):
        self.instance.date_maj = timezone.localdate()
        return super().save(commit=commit)


class ServiceAdminForm(CatalogueAdminForm):
    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if for_user is not None and not for_user.is_superuser and "structure" in self.fields:
            self.fields["structure"].queryset = Structure.objects.filter(
                pk__in=structure_ids(for_user, ANY_ROLE)
            )


class InvitationForm(forms.Form):
    email = forms.EmailField(label="Adresse e-mail de la personne à inviter")
    role = forms.ChoiceField(label="Rôle", choices=Membre.Role.choices, initial=Membre.Role.MEMBRE)
