"""The snippet chooser is scoped like the listings and creates nothing; a structure becomes an
antenne only of a parent whose admins agree (they make the link)."""

from django.urls import reverse

import pytest

from catalogue.models import Membre, Service, Structure
from tests.factories import MembreFactory, ServiceFactory, StructureFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def membre_a():
    return MembreFactory(role=Membre.Role.MEMBRE)


def test_the_service_chooser_lists_and_returns_only_the_user_s_services(client, membre_a):
    mine = ServiceFactory(structure=membre_a.structure, nom="Atelier CV de A")
    draft_of_b = ServiceFactory(nom="Brouillon secret de B", statut=Service.Statut.BROUILLON)
    client.force_login(membre_a.user)
    namespace = "wagtailsnippetchoosers_catalogue_service"

    for name in ("choose", "choose_results"):
        page = client.get(reverse(f"{namespace}:{name}")).content.decode()
        assert mine.nom in page and draft_of_b.nom not in page, name
    assert client.get(reverse(f"{namespace}:chosen", args=[draft_of_b.pk])).status_code == 404
    assert client.get(reverse(f"{namespace}:chosen", args=[mine.pk])).status_code == 200
    several = client.get(reverse(f"{namespace}:chosen_multiple"), {"id": [draft_of_b.pk]})
    assert draft_of_b.nom not in several.content.decode()


def test_the_chooser_creates_nothing_and_never_answers_500(client, membre_a):
    client.force_login(membre_a.user)

    response = client.post("/admin/snippets/choose/catalogue/service/create/", {"nom": "x"})

    assert response.status_code == 404 and not Service.objects.exists()


def _parent_choices(structure, user):
    form_class = Structure.snippet_viewset.get_edit_handler().get_form_class()
    return set(form_class(instance=structure, for_user=user).fields["structure_parente"].queryset)


def test_a_structure_becomes_the_antenne_only_of_a_structure_its_admin_administers():
    admin = MembreFactory(role=Membre.Role.ADMIN)
    antenne, elsewhere = admin.structure, StructureFactory(nom="Autre réseau")
    parent = MembreFactory(user=admin.user, role=Membre.Role.ADMIN).structure
    member_only = MembreFactory(user=admin.user, role=Membre.Role.MEMBRE).structure

    assert _parent_choices(antenne, admin.user) == {parent}
    assert elsewhere not in _parent_choices(antenne, admin.user)
    assert member_only not in _parent_choices(antenne, admin.user)


def test_the_admin_cannot_post_another_parent(client):
    admin = MembreFactory(role=Membre.Role.ADMIN)
    elsewhere = StructureFactory(nom="Autre réseau")
    parent = MembreFactory(user=admin.user, role=Membre.Role.ADMIN).structure
    client.force_login(admin.user)
    url = f"/admin/snippets/catalogue/structure/edit/{admin.structure_id}/"
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {name: value for name, value in data.items() if value is not None}

    client.post(url, data | {"structure_parente": elsewhere.pk})
    admin.structure.refresh_from_db()
    assert admin.structure.structure_parente_id is None

    client.post(url, data | {"structure_parente": parent.pk})  # the control: this one is made
    admin.structure.refresh_from_db()
    assert admin.structure.structure_parente_id == parent.pk
