from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Recherche"

    def ready(self):
        from search import checks, signals  # noqa: F401 (registers the check, connects the receivers)
