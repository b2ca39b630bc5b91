"""Every date input of every form keeps a prefilled value: `<input type="date">` reads only ISO
(« 1998-03-14 »), and the locale's « 14/03/1998 » leaves it empty — the birth date lost by
« Reprendre les informations d'une personne », and the duplicate check bypassed."""

import importlib
from datetime import date, datetime
from pathlib import Path

from django import forms
from django.conf import settings
from django.utils import timezone

import pytest

from tests.factories import PrescriptionFactory

APPS = ["accounts", "catalogue", "prescription", "fiche_relais", "actualisation", "search"]
for app in APPS:
    for module in ("forms", "admin_forms", "views"):
        if (Path(settings.BASE_DIR) / app / f"{module}.py").exists():
            importlib.import_module(f"{app}.{module}")


def project_forms(base=forms.BaseForm):
    for form in base.__subclasses__():
        if form.__module__.split(".")[0] in APPS:
            yield form
        yield from project_forms(form)


DATE_FIELDS = sorted(
    {
        (f"{form.__module__}.{form.__name__}.{name}", form, name)
        for form in project_forms()
        for name, field in form.base_fields.items()
        if isinstance(field, forms.DateField | forms.DateTimeField)
    },
    key=lambda row: row[0],
)


def test_the_forms_with_dates_are_found():
    assert len(DATE_FIELDS) >= 8


@pytest.mark.parametrize("where, form, name", DATE_FIELDS, ids=[row[0] for row in DATE_FIELDS])
def test_a_prefilled_date_shows_in_its_input(where, form, name):
    field = form.base_fields[name]
    if isinstance(field, forms.DateTimeField):
        value = timezone.make_aware(datetime(1998, 3, 14, 9, 30))
        expected = 'value="1998-03-14T09:30"'
    else:
        value, expected = date(1998, 3, 14), 'value="1998-03-14"'

    html = field.widget.render(name, field.prepare_value(value))

    assert field.widget.input_type in ("date", "datetime-local"), where
    assert expected in html, html


@pytest.mark.django_db
def test_reprendre_les_informations_keeps_the_birth_date(client):
    previous = PrescriptionFactory(date_naissance=date(1998, 3, 14))
    client.force_login(previous.prescripteur)

    page = client.get(
        f"/services/{previous.service.pk}/orienter/?depuis={previous.pk}"
    ).content.decode()

    assert 'value="1998-03-14"' in page
