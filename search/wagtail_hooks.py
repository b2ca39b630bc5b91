"""The search lexicon in the Wagtail admin, for gestionnaires only (like the import reports:
Django's model permissions, which superusers hold and structure members do not)."""

from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet

from catalogue.referentiels import label
from search.models import SynonymGroup


class ThematiquesColumn(Column):
    def get_value(self, instance):
        return ", ".join(label("thematiques", slug) for slug in instance.thematiques)


class LexiqueViewSet(ModelViewSet):
    model = SynonymGroup
    icon = "openquote"
    menu_label = "Lexique de la recherche"
    add_to_admin_menu = True
    menu_order = 130
    form_fields = ["expressions", "thematiques", "source", "active"]
    list_display = [
        Column("__str__", label="Expressions"),
        ThematiquesColumn("thematiques", label="Thématiques"),
        "source",
        "active",
        "updated_at",
    ]
    list_filter = ["active"]
    search_fields = ["expressions", "source"]
    search_backend_name = None


@hooks.register("register_admin_viewset")
def register_lexique_viewset():
    return LexiqueViewSet("lexique")
