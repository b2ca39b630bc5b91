"""`manage.py bootstrap`: a first deploy gets its site, editorial pages and first gestionnaire,
without the demo catalogue; run again, nothing changes."""

import io

from django.contrib.auth import get_user_model
from django.core.management import call_command

from wagtail.models import Page, Site

import pytest

from catalogue.models import Service, Structure
from pages.models import ContentPage, HomePage

pytestmark = pytest.mark.django_db


def _bootstrap(**options):
    out = io.StringIO()
    call_command("bootstrap", email="Gestion@Departement.fr", stdout=out, **options)
    return out.getvalue()


def test_bootstrap_replaces_wagtails_welcome_page_and_creates_the_first_gestionnaire(
    client, settings
):
    settings.WAGTAILADMIN_BASE_URL = "https://portail.departement.fr"
    settings.ALLOWED_HOSTS = ["portail.departement.fr"]
    assert "Welcome to your new Wagtail site" in Page.objects.get(depth=2).title

    output = _bootstrap(prenom="Gaëlle", nom="Gestion")

    site = Site.objects.get()
    assert (site.hostname, site.port, site.root_page.specific_class) == (
        "portail.departement.fr", 443, HomePage,
    )  # fmt: skip
    assert sorted(ContentPage.objects.values_list("slug", flat=True)) == [
        "lexique",
        "livret-d-accueil",
    ]
    assert not Page.objects.filter(title__icontains="Welcome").exists()
    user = get_user_model().objects.get()
    assert (user.email, user.is_superuser, user.first_name) == (
        "gestion@departement.fr",
        True,
        "Gaëlle",
    )
    password = output.split("gestion@departement.fr / ")[1].split()[0]
    assert user.check_password(password)
    assert not Structure.objects.exists() and not Service.objects.exists()  # no demo
    home = client.get("/", HTTP_HOST="portail.departement.fr", secure=True)
    assert home.status_code == 200 and "Portail de l'offre d'insertion" in home.content.decode()
    assert (
        client.get("/lexique/", HTTP_HOST="portail.departement.fr", secure=True).status_code == 200
    )


def test_bootstrap_run_again_changes_nothing():
    _bootstrap()
    user = get_user_model().objects.get()
    pages = list(Page.objects.order_by("pk").values_list("pk", "title"))

    output = _bootstrap()

    assert "existait déjà" in output
    assert list(Page.objects.order_by("pk").values_list("pk", "title")) == pages
    assert get_user_model().objects.get().password == user.password
