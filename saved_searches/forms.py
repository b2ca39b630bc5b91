from django import forms

from config.forms import DsfrForm
from saved_searches import services
from saved_searches.enums import AlertFrequency


class SaveSearchForm(DsfrForm):
    """A name and an alert for the search given by `parameters` (the search page's query
    parameters, checked by `services.check`)."""

    name = forms.CharField(
        label="Nom de la recherche", max_length=100,
        help_text="Par exemple « Permis de conduire autour d'Aubagne ».",
    )  # fmt: skip
    frequency = forms.ChoiceField(
        label="Recevoir par e-mail les services nouveaux ou mis à jour",
        choices=AlertFrequency.choices, initial=AlertFrequency.FORTNIGHTLY,
    )  # fmt: skip

    def __init__(self, *args, owner, parameters, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner, self.parameters = owner, parameters

    def clean(self):
        data = super().clean()
        services.check(self.parameters, self.owner)
        return data

    def save(self):
        data = self.cleaned_data
        return services.create(self.owner, data["name"], data["frequency"], self.parameters)


class FrequencyForm(forms.Form):
    frequency = forms.ChoiceField(choices=AlertFrequency.choices)
