from django.core.management import call_command

import pytest

from catalogue.demo import DEMO_DEPARTEMENTS, write_demo_files
from catalogue.models import Membre, Service, Structure
from territoires.models import Commune

pytestmark = pytest.mark.django_db


def test_same_seed_same_catalogue_other_seed_other_catalogue(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "c").mkdir()
    first = write_demo_files(tmp_path / "a", structures=10, services=30, seed=7)
    again = write_demo_files(tmp_path / "b", structures=10, services=30, seed=7)
    other = write_demo_files(tmp_path / "c", structures=10, services=30, seed=8)
    assert first[1].read_text() == again[1].read_text()
    assert first[1].read_text() != other[1].read_text()


def test_load_demo_builds_a_realistic_catalogue(capsys):
    call_command("load_demo", structures=40, services=200, seed=3, no_accounts=True)
    assert "Démo : 40 structures, 200 services" in capsys.readouterr().out
    assert Structure.objects.count() == 40
    services = list(Service.objects.all())
    assert len(services) == 200
    assert all(len(s.description) >= 200 for s in services)
    assert all(1 <= len(s.thematiques) <= 3 for s in services)
    assert len({s.description for s in services}) > 100  # varied
    communes = {s.code_insee for s in services if s.code_insee}
    departements = set(
        Commune.objects.filter(code_insee__in=communes).values_list("departement", flat=True)
    )
    assert departements <= set(DEMO_DEPARTEMENTS)
    assert len(departements) == 4
    statuts = {s.statut for s in services}
    assert {Service.Statut.PUBLIE, Service.Statut.BROUILLON} <= statuts
    assert any(s.modes_accueil == ["a-distance"] for s in services)
    assert any(s.zone_eligibilite == ["france"] for s in services)
    assert {len(s.zone_eligibilite[0]) for s in services} >= {2, 5, 9}  # département, commune, EPCI


def test_load_demo_if_empty_does_nothing_the_second_time(capsys):
    call_command("load_demo", structures=5, services=10, no_accounts=True)
    call_command("load_demo", structures=50, services=100, if_empty=True, no_accounts=True)
    assert Service.objects.count() == 10
    assert "Catalogue déjà chargé." in capsys.readouterr().out


def test_demo_accounts_are_created_once_and_credentials_printed_in_dev_only(settings, capsys):
    settings.SHOW_DEMO_CREDENTIALS = False
    call_command("load_demo", structures=3, services=3)
    assert "@demo.spie.fr /" not in capsys.readouterr().out
    assert Membre.objects.get(user__email="structure@demo.spie.fr").role == Membre.Role.ADMIN
    settings.SHOW_DEMO_CREDENTIALS = True
    call_command("load_demo", structures=3, services=3)
    assert "@demo.spie.fr /" not in capsys.readouterr().out  # already created: never printed again


def test_the_demo_professionnel_works_in_a_structure_and_opens_the_fiche_relais(client):
    call_command("load_demo", structures=3, services=3)
    professionnel = Membre.objects.get(user__email="professionnel@demo.spie.fr")
    admin = Membre.objects.get(user__email="structure@demo.spie.fr")

    assert professionnel.role == Membre.Role.MEMBRE
    assert professionnel.structure != admin.structure
    client.force_login(professionnel.user)
    assert client.get("/parcours/personnes/nouvelle/").status_code == 200
