"""Model fields for the data·inclusion list values, with their admin form fields."""

import functools

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from catalogue import horaires
from catalogue.referentiels import REFERENTIELS
from catalogue.validation import current_zone, zone_errors
from territoires import services as territoires


class ChoiceListField(models.JSONField):
    """A list of slugs from one data·inclusion referential, edited as checkboxes."""

    def __init__(self, *args, referentiel, **kwargs):
        self.referentiel = referentiel
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["referentiel"] = self.referentiel
        return name, path, args, kwargs

    @property
    def allowed(self):
        return REFERENTIELS[self.referentiel]

    @functools.cached_property
    def known(self):
        return {slug for slug, _ in self.allowed}

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        unknown = [slug for slug in value or [] if slug not in self.known]
        if unknown:
            raise ValidationError(
                "Valeur inconnue du référentiel %(referentiel)s : %(values)s.",
                code="unknown_slug",
                params={"referentiel": self.referentiel, "values": ", ".join(unknown)},
            )

    def formfield(self, **kwargs):
        return forms.MultipleChoiceField(
            choices=self.allowed,
            required=not self.blank,
            label=self.verbose_name.capitalize(),
            help_text=self.help_text,
            widget=forms.CheckboxSelectMultiple,
        )


class ZonePicker(forms.TextInput):
    """The codes' text box (what works without JavaScript), the zones chosen by name, and a
    search box that adds communes, EPCI, départements or France by name (static/js/zones.js,
    suggestions from `territoires:zones`)."""

    template_name = "catalogue/widgets/zone_picker.html"

    class Media:
        js = ["js/zones.js"]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        codes = value if isinstance(value, list) else ZoneField.split(value or "")
        context["widget"]["zones"] = [
            territoires.zone(code) or territoires.Zone(code, None, code) for code in codes
        ]
        context["widget"]["zones_url"] = reverse("territoires:zones")
        return context


class HorairesPicker(forms.TextInput):
    """The OSM `opening_hours` text box (what works without JavaScript, and for experts), and a
    grid of the week's days with two time ranges each that writes it (static/js/horaires.js);
    hours the grid cannot show (public holidays, months, comments) are left to the text."""

    template_name = "catalogue/widgets/horaires_picker.html"

    class Media:
        js = ["js/horaires.js"]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["days"] = horaires.WEEK
        context["widget"]["example"] = horaires.EXAMPLE
        return context


class ZoneField(forms.CharField):
    """Codes typed as « 13, 200054807, 13055 » ↔ a list of codes, with a picker by name."""

    widget = ZonePicker

    @staticmethod
    def split(text):
        return [code.strip() for code in text.replace(";", ",").split(",") if code.strip()]

    def prepare_value(self, value):
        if isinstance(value, list):
            return ", ".join(value)
        return value

    def to_python(self, value):
        return current_zone(self.split(super().to_python(value)))


class ZoneEligibiliteField(models.JSONField):
    """Where a service is available: commune INSEE codes, EPCI SIREN, département codes or
    `france`. Empty means everywhere."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        if errors := zone_errors(value):
            raise ValidationError(errors["zone_eligibilite"], code="unknown_zone")

    def formfield(self, **kwargs):
        return ZoneField(
            required=not self.blank,
            label=self.verbose_name.capitalize(),
            help_text=self.help_text,
        )
