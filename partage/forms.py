from django import forms

from catalogue.models import Service
from config.forms import DsfrForm
from partage.pdf import LAYOUTS


class DestinataireForm(DsfrForm):
    courriel = forms.EmailField(
        label="Adresse e-mail du destinataire",
        help_text="La personne accompagnée ou un ou une collègue. Cette adresse ne sert qu'à "
        "cet envoi : le portail ne la conserve pas.",
        max_length=254,
    )


class AjoutForm(forms.Form):
    """The services ticked in the results, or the one of a service page."""

    services = forms.ModelMultipleChoiceField(
        queryset=Service.objects.avec_page_publique(),
        error_messages={"required": "Cochez au moins un service à ajouter à votre sélection."},
    )


class ImpressionForm(forms.Form):
    mise_en_page = forms.ChoiceField(choices=LAYOUTS.items(), required=False)
