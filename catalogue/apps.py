from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "catalogue"
    verbose_name = "Catalogue"

    def ready(self):
        from config.responses import protect_wagtail_exports

        # The admin's exports list structure and service names, typed by their members.
        protect_wagtail_exports()
