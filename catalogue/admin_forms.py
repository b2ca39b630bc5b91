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


class OwnStructureMixin:
    """The `structure` field offers the structures where the user has one of `roles`."""

    roles = ANY_ROLE

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if for_user is not None and not for_user.is_superuser and "structure" in self.fields:
            self.fields["structure"].queryset = Structure.objects.filter(
                pk__in=structure_ids(for_user, self.roles)
            )


class ServiceAdminForm(OwnStructureMixin, CatalogueAdminForm):
    """A new service a member publishes in a structure with « publication après relecture »
    waits for an admin's review (`moderation.held_for_review`): « en attente de relecture »
    is never chosen by hand."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        self.previous_statut = None if self.instance._state.adding else self.instance.statut
        if "statut" in self.fields and self.previous_statut != Service.Statut.A_RELIRE:
            self.fields["statut"].choices = [
                choice
                for choice in self.fields["statut"].choices
                if choice[0] != Service.Statut.A_RELIRE
            ]

    def save(self, commit=True):
        held = self.for_user is not None and moderation.hold_for_review(
            self.instance, self.for_user, self.previous_statut
        )
        service = super().save(commit=commit)
        if held:
            moderation.submit_for_review(service, self.for_user)
        return service


class ModeleAdminForm(OwnStructureMixin, WagtailAdminModelForm):
    """A model belongs to a structure its author administers (a gestionnaire: any)."""

    roles = ADMIN_ONLY


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


class CopieForm(forms.ModelForm):
    """A structure's copy of a model (`instance`: `modeles.new_copy`): which structure (among
    `targets`), published or draft, and its own place, hours, contacts and zone."""

    class Meta:
        model = Service
        fields = [
            "structure", "statut", "adresse", "complement_adresse", "code_postal",
            "code_insee", "commune", "horaires_accueil", "telephone", "courriel",
            "contact_nom_prenom", "contact_public", "zone_eligibilite",
        ]  # fmt: skip

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["structure"].queryset = targets
        self.fields["statut"].choices = [
            (Service.Statut.BROUILLON, "Brouillon : la structure le complète et le publie"),
            (Service.Statut.PUBLIE, "Publié dès maintenant"),
        ]
        address = self.fields["adresse"]
        address.help_text = "Vide : le service est accueilli à l'adresse de sa structure."


class DecisionsForm(forms.Form):
    """One choice per proposal of a model (`modeles.Proposal`): accept, refuse, or
    decide later; `decisions()` gives {field: accepted} for the fields decided."""

    CHOICES = [("accepter", "Accepter"), ("refuser", "Refuser"), ("", "Décider plus tard")]

    def __init__(self, *args, proposals, **kwargs):
        super().__init__(*args, **kwargs)
        for proposal in proposals:
            self.fields[proposal.field] = forms.ChoiceField(
                label=proposal.label, choices=self.CHOICES, required=False,
                widget=forms.RadioSelect, initial="",
            )  # fmt: skip

    def decisions(self):
        return {name: choice == "accepter" for name, choice in self.cleaned_data.items() if choice}
