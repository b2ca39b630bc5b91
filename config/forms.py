from django import forms
from django.utils.html import escape

from dsfr.forms import DsfrBaseForm


class DsfrForm(DsfrBaseForm):
    """The base of every public form: DSFR markup, and optional fields marked as such (the
    DSFR's current rule) without django-dsfr's transitional setting and its warnings."""

    def get_context(self):
        context = forms.Form.get_context(self)
        context["DSFR_MARK_OPTIONAL_FIELDS"] = True
        return context

    def set_help_text(self, name, text):
        """Shows `text` (plain text: escaped here, the DSFR templates print help texts as safe)
        under the field `name`. Setting `self.fields[name].help_text` after `__init__` shows
        nothing: django-dsfr binds every field in its `__init__`, and a bound field copies the
        help text when it is bound."""
        self.fields[name].help_text = self[name].help_text = escape(text)


class DateInput(forms.DateInput):
    """`<input type="date">`: a browser reads only an ISO value (« 1998-03-14 »); the locale's
    « 14/03/1998 » leaves the field empty, and a prefilled date is lost."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    """`<input type="datetime-local">`, its value in ISO (« 2026-12-01T09:30 »), local time."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


def errors_by_field(form):
    """{field: [message, …]}: what an API answers with its 400."""
    return {
        field: [error["message"] for error in errors]
        for field, errors in form.errors.get_json_data().items()
    }


def errors_text(form):
    """Every error of a form in one sentence, for a flash message."""
    return " ".join(message for messages in form.errors.values() for message in messages)
