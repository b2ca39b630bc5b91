"""Local development: `make run`. Insecure defaults are acceptable only here."""

import os

os.environ.setdefault("SECRET_KEY", "dev-only-insecure-secret-key")
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("SESSION_COOKIE_SECURE", "false")
os.environ.setdefault("CSRF_COOKIE_SECURE", "false")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
os.environ.setdefault("SEARCH_BACKEND", "database")

from config.settings.base import *  # noqa: E402, F403

SHOW_DEMO_CREDENTIALS = True
