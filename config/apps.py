from django.apps import AppConfig


class ConfigConfig(AppConfig):
    """The project's own settings-level state: the database cache's table (its migration)."""

    name = "config"
    verbose_name = "Configuration"
