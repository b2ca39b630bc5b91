from django.apps import AppConfig


class ActualisationConfig(AppConfig):
    name = "actualisation"
    verbose_name = "Actualisation de l'offre"

    def ready(self):
        from actualisation import signals  # noqa: F401
