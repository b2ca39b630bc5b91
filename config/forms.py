from django import forms

from dsfr.forms import DsfrBaseForm


class DsfrForm(DsfrBaseForm):
    """The base of every public form: DSFR markup, and optional fields marked as such (the
    DSFR's current rule) without django-dsfr's transitional setting and its warnings."""

    def get_context(self):
        context = forms.Form.get_context(self)
        context["DSFR_MARK_OPTIONAL_FIELDS"] = True
        return context
