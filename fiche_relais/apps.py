from django.apps import AppConfig


class FicheRelaisConfig(AppConfig):
    name = "fiche_relais"
    verbose_name = "Fiche relais"
