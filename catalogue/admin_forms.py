from django import forms
from django.db.models import Q
from django.utils import timezone

from wagtail.admin.forms import WagtailAdminModelForm

from catalogue import moderation
from catalogue.models import Membre, Service, Structure
from catalogue.permissions import ADMIN_ONLY, ANY_ROLE, structure_ids


class CatalogueAdminForm(WagtailAdminModelForm):
    """Every save from the admin is a fresh update: `date_maj` becomes today."""

    def save(self, commit=True):
        self.instance.date_maj = timezone.localdate()
        return super().save(commit=commit)


class ServiceAdminForm(CatalogueAdminForm):
    """A new service a member publishes in a structure with « publication après relecture »
    waits for an admin's review (`moderation.held_for_review`): « en attente de relecture »
    is never chosen by hand."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if for_user is not None and not for_user.is_superuser and "structure" in self.fields:
            self.fields["structure"].queryset = Structure.objects.filter(
                pk__in=structure_ids(for_user, ANY_ROLE)
            )
        self.previous_statut = None if self.instance._state.adding else self.instance.statut
        if "statut" in self.fields and self.previous_statut != Service.Statut.A_RELIRE:
            self.fields["statut"].choices = [
                choice
                for choice in self.fields["statut"].choices
                if choice[0] != Service.Statut.A_RELIRE
            ]

    def save(self, commit=True):
        held = self.for_user is not None and moderation.held_for_review(
            self.instance, self.for_user, self.previous_statut
        )
        if held:
            self.instance.statut = Service.Statut.A_RELIRE
        service = super().save(commit=commit)
        if held:
            moderation.submit_for_review(service, self.for_user)
        return service


class StructureAdminForm(CatalogueAdminForm):
    """A structure becomes the antenne of a parent only with the parent's admins' agreement:
    the parent is chosen among the structures the user administers (the link already made
    stays)."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if (
            for_user is not None
            and not for_user.is_superuser
            and "structure_parente" in self.fields
        ):
            administered = structure_ids(for_user, ADMIN_ONLY) - {self.instance.pk}
            self.fields["structure_parente"].queryset = Structure.objects.filter(
                Q(pk__in=administered) | Q(pk=self.instance.structure_parente_id)
            )
            self.fields["structure_parente"].help_text = (
                "Parmi les structures dont vous êtes administrateur : pour rattacher cette "
                "structure à une autre, demandez à l'un de ses administrateurs de le faire."
            )


class InvitationForm(forms.Form):
    email = forms.EmailField(label="Adresse e-mail de la personne à inviter")
    role = forms.ChoiceField(label="Rôle", choices=Membre.Role.choices, initial=Membre.Role.MEMBRE)
