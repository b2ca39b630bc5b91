from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Comptes"

    def ready(self):
        from accounts import connexions  # noqa: F401 (connects the purge at login)
        from config import sessions  # noqa: F401 (starts the session's clocks at login)
