from django.apps import AppConfig


class PrescriptionConfig(AppConfig):
    name = "prescription"
    verbose_name = "Fiche unique de prescription"
