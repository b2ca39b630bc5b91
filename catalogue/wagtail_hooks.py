"""The Wagtail admin for structures: their listings, their members and their networks' service
models, scoped to each user; and the import reports, read-only."""

import functools

from django import forms
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.urls.resolvers import URLPattern

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.mixins import RevisionsRevertMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
    SnippetChosenMultipleView,
    SnippetChosenView,
)
from wagtail.snippets.views.snippets import EditView, SnippetViewSet, SnippetViewSetGroup

from catalogue import admin_modeles, admin_views, modeles, moderation
from catalogue.admin_forms import ModeleAdminForm, ServiceAdminForm, StructureAdminForm
from catalogue.fields import HorairesPicker
from catalogue.models import ModeleService, RapportImport, Service, Structure
from catalogue.permissions import (
    ADMIN_ONLY,
    modele_policy,
    service_policy,
    structure_ids,
    structure_policy,
)
from config import history

register_permission_policy(Service, service_policy)
register_permission_policy(Structure, structure_policy)
register_permission_policy(ModeleService, modele_policy)

LIEU_PANEL = MultiFieldPanel(
    [
        FieldPanel("adresse"),
        FieldPanel("complement_adresse"),
        FieldRowPanel([FieldPanel("code_postal"), FieldPanel("code_insee"), FieldPanel("commune")]),
        FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
    ],
    heading="Lieu",
)


POLICIES = {Service: service_policy, Structure: structure_policy, ModeleService: modele_policy}
# What a model describes and its copies share (`catalogue.models.MODELE_FIELDS`).
DESCRIPTION_PANELS = [
    FieldPanel("nom"),
    FieldPanel("description"),
    FieldRowPanel([FieldPanel("type"), FieldPanel("frais")]),
    FieldPanel("frais_precisions"),
    FieldPanel("thematiques"),
]
PUBLICS_PANELS = [
    FieldPanel("publics"),
    FieldPanel("publics_precisions"),
    FieldPanel("conditions_acces"),
]
MOBILISATION_PANELS = [
    FieldPanel("mobilisable_par"),
    FieldPanel("modes_mobilisation"),
    FieldPanel("mobilisation_precisions"),
    FieldPanel("lien_mobilisation"),
]


class ScopedChooserMixin:
    """The chooser lists and returns only what the user may see in the listings."""

    def scoped(self):
        return POLICIES[self.model_class].instances_user_has_any_permission_for(
            self.request.user, ["change", "view"]
        )

    def get_object_list(self):
        return self.scoped()

    def get_object(self, pk):
        return self.scoped().get(pk=pk)

    def get_objects(self, pks):
        return self.scoped().filter(pk__in=pks)


class ScopedChooserViewSet(SnippetChooserViewSet):
    """Scoped like the listings; no « create » from the chooser (structures and services are
    created from their own forms, which know the user's structures)."""

    choose_view_class = type("ChooseView", (ScopedChooserMixin, ChooseView), {})
    choose_results_view_class = type(
        "ChooseResultsView", (ScopedChooserMixin, ChooseResultsView), {}
    )
    chosen_view_class = type("ChosenView", (ScopedChooserMixin, SnippetChosenView), {})
    chosen_multiple_view_class = type(
        "ChosenMultipleView", (ScopedChooserMixin, SnippetChosenMultipleView), {}
    )

    def get_urlpatterns(self):
        return [p for p in super().get_urlpatterns() if p.name != "create"]


class ScopedSnippetViewSet(SnippetViewSet):
    """Every view that names an object first checks the user may see or change that object:
    a member of structure A gets 403 on structure B's URLs, never its data."""

    search_fields = ["nom"]
    search_backend_name = None
    chooser_viewset_class = ScopedChooserViewSet
    list_select_related = ()  # the foreign keys `list_display` shows, read with each row

    def get_queryset(self, request):
        scoped = self.permission_policy.instances_user_has_any_permission_for(
            request.user, ["change", "view"]
        )
        if self.list_select_related:
            scoped = scoped.select_related(*self.list_select_related)
        return scoped

    def get_urlpatterns(self):
        return [self._scoped(pattern) for pattern in super().get_urlpatterns()]

    def _scoped(self, pattern: URLPattern):
        if "<" not in str(pattern.pattern):
            return pattern
        view = pattern.callback

        @functools.wraps(view)
        def scoped_view(request, *args, **kwargs):
            pk = unquote(str(kwargs["pk"]))
            if not self.get_queryset(request).filter(pk=pk).exists():
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return URLPattern(pattern.pattern, scoped_view, pattern.default_args, pattern.name)


class StructureViewSet(ScopedSnippetViewSet):
    model = Structure
    icon = "home"
    menu_label = "Structures"
    list_display = ["nom", "commune", "siret", Column("date_maj", label="Mise à jour")]
    list_filter = ["est_publiee"]
    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    FieldPanel("nom"),
                    FieldPanel("description"),
                    FieldRowPanel([FieldPanel("siret"), FieldPanel("est_publiee")]),
                    FieldPanel("relecture_services"),
                    FieldPanel("structure_parente", widget=forms.Select),
                    FieldPanel("reseaux_porteurs"),
                ],
                heading="Structure",
            ),
            ObjectList(
                [
                    LIEU_PANEL,
                    FieldPanel("horaires_accueil", widget=HorairesPicker),
                    FieldPanel("accessibilite_lieu"),
                ],
                heading="Lieu et horaires",
            ),
            ObjectList(
                [
                    FieldPanel("telephone"),
                    FieldPanel("courriel"),
                    FieldPanel("site_web"),
                    FieldPanel("lien_source"),
                ],
                heading="Contact",
            ),
        ],
        base_form_class=StructureAdminForm,
    )


class ServiceViewSet(ScopedSnippetViewSet):
    model = Service
    icon = "list-ul"
    menu_label = "Services"
    list_display = ["nom", "structure", "statut", Column("date_maj", label="Mise à jour")]
    list_select_related = ["structure"]
    list_filter = ["statut"]
    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    FieldPanel("structure", widget=forms.Select),
                    FieldPanel("statut"),
                    *DESCRIPTION_PANELS,
                    FieldPanel("frequence_maj"),
                ],
                heading="Service",
            ),
            ObjectList(
                [*PUBLICS_PANELS, FieldPanel("zone_eligibilite")],
                heading="Publics et zone",
            ),
            ObjectList(
                [
                    FieldPanel("modes_accueil"),
                    LIEU_PANEL,
                    FieldPanel("horaires_accueil", widget=HorairesPicker),
                    FieldRowPanel(
                        [FieldPanel("volume_horaire_hebdomadaire"), FieldPanel("nombre_semaines")]
                    ),
                ],
                heading="Accueil",
            ),
            ObjectList(
                [
                    *MOBILISATION_PANELS,
                    FieldPanel("contact_nom_prenom"),
                    FieldRowPanel([FieldPanel("telephone"), FieldPanel("courriel")]),
                    FieldPanel("contact_public"),
                ],
                heading="Orientation et contact",
            ),
        ],
        base_form_class=ServiceAdminForm,
    )


class ProposeOnSaveMixin:
    """Saving a model, edited or reverted to a revision, proposes the fields it changed to its
    copies (`modeles.propose`)."""

    def save_instance(self):
        stored = modeles.model_values(ModeleService.objects.get(pk=self.object.pk))
        instance = super().save_instance()
        changed = [name for name, value in stored.items() if getattr(instance, name) != value]
        modeles.propose(instance, changed)
        return instance


class ModeleServiceViewSet(ScopedSnippetViewSet):
    """The models a network's admins (or the gestionnaires) describe and change; every member
    reads them and copies them from « Modèles de service » (`admin_modeles`)."""

    model = ModeleService
    icon = "copy"
    menu_label = "Modèles de service (réseau)"
    list_display = ["nom", "structure", Column("modifie_le", label="Modifié le")]
    list_select_related = ["structure"]
    edit_view_class = type("ModeleEditView", (ProposeOnSaveMixin, EditView), {})
    revisions_revert_view_class = type(
        "ModeleRevertView",
        (ProposeOnSaveMixin, RevisionsRevertMixin, EditView),
        {"view_name": "revisions_revert"},
    )
    edit_handler = TabbedInterface(
        [
            ObjectList(
                [FieldPanel("structure", widget=forms.Select), *DESCRIPTION_PANELS],
                heading="Service",
            ),
            ObjectList(PUBLICS_PANELS, heading="Publics"),
            ObjectList(
                [
                    FieldPanel("modes_accueil"),
                    FieldRowPanel(
                        [FieldPanel("volume_horaire_hebdomadaire"), FieldPanel("nombre_semaines")]
                    ),
                    *MOBILISATION_PANELS,
                ],
                heading="Accueil et orientation",
            ),
        ],
        base_form_class=ModeleAdminForm,
    )


class CatalogueViewSetGroup(SnippetViewSetGroup):
    menu_label = "Catalogue"
    menu_icon = "folder-open-inverse"
    menu_order = 100
    items = (StructureViewSet, ServiceViewSet, ModeleServiceViewSet)


register_snippet(CatalogueViewSetGroup)


@hooks.register("register_admin_urls")
def register_membres_urls():
    return [
        path("membres/", admin_views.structures_index, name="membres_index"),
        path("membres/<int:structure_pk>/", admin_views.membres, name="membres"),
        path(
            "membres/<int:structure_pk>/retirer/<int:membre_pk>/",
            admin_views.retirer_membre,
            name="membres_retirer",
        ),
        path(
            "membres/<int:structure_pk>/demandes/<int:demande_pk>/",
            admin_views.decider_demande,
            name="membres_demande",
        ),
    ]


class MembresMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser or bool(structure_ids(request.user, ADMIN_ONLY))


@hooks.register("register_admin_menu_item")
def register_membres_menu_item():
    return MembresMenuItem("Membres", reverse("membres_index"), icon_name="group", order=110)


class ModerationMenuItem(MenuItem):
    """« Modération (N) »: the decisions waiting for the user (`catalogue.moderation`)."""

    def is_shown(self, request):
        return moderation.has_queues(request.user)

    def render_component(self, request):
        component = super().render_component(request)
        component.label = f"Modération ({moderation.waiting_count(request.user)})"
        return component


@hooks.register("register_admin_menu_item")
def register_moderation_menu_item():
    return ModerationMenuItem(
        "Modération", reverse("catalogue:moderation"), icon_name="tasks", order=105
    )


class ModerationPanel(Component):
    name = "moderation"
    template_name = "catalogue/admin/moderation_panel.html"
    order = 40

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        return {
            "demandes": moderation.pending_requests(self.user).count(),
            "services": moderation.services_to_review(self.user).count(),
        }


@hooks.register("construct_homepage_panels")
def add_moderation_panel(request, panels):
    if moderation.waiting_count(request.user):
        panels.append(ModerationPanel(request.user))


@hooks.register("register_log_actions")
def register_moderation_log_actions(actions):
    history.register(actions, moderation.LOG_ACTIONS)


@hooks.register("register_admin_urls")
def register_modeles_urls():
    return [
        path("modeles/", admin_modeles.index, name="modeles_index"),
        path("modeles/<int:modele_pk>/copier/", admin_modeles.copier, name="modeles_copier"),
        path("modeles/propositions/<int:pk>/", admin_modeles.decide, name="modeles_propositions"),
    ]


@hooks.register("register_admin_menu_item")
def register_modeles_menu_item():
    return MenuItem("Modèles de service", reverse("modeles_index"), icon_name="copy", order=106)


@hooks.register("register_log_actions")
def register_modeles_log_actions(actions):
    history.register(actions, modeles.LOG_ACTIONS)


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Reports are written by imports only: people may read them, never change them."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, "view")

    def user_has_any_permission(self, user, actions):
        return "view" in actions and super().user_has_permission(user, "view")


register_permission_policy(RapportImport, ReadOnlyPermissionPolicy(RapportImport))


class RapportImportViewSet(ModelViewSet):
    model = RapportImport
    icon = "doc-full"
    menu_label = "Imports data·inclusion"
    add_to_admin_menu = True
    menu_order = 120
    inspect_view_enabled = True
    form_fields = []  # never edited: the policy allows no change
    list_display = ["__str__", "fichier", "etat", "crees", "mis_a_jour", "inchanges",
                    "suspendus", "rejetes"]  # fmt: skip
    list_filter = ["etat", "nature"]
    inspect_view_fields = [
        "fichier", "nature", "export_complet", "sources", "etat", "debut", "fin", "crees",
        "mis_a_jour", "inchanges", "suspendus", "rejetes", "erreur", "liste_avertissements",
        "liste_rejets",
    ]  # fmt: skip


@hooks.register("register_admin_viewset")
def register_rapport_import_viewset():
    return RapportImportViewSet("rapports-import")
