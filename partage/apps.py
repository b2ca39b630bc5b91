from django.apps import AppConfig


class PartageConfig(AppConfig):
    name = "partage"
    verbose_name = "Partage et sélection de services"
