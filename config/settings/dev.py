"""Local development: `make run`. Insecure defaults are acceptable only here."""

import os

from config.env import BASE_DIR

os.environ.setdefault("SECRET_KEY", "dev-only-insecure-secret-key")
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("SESSION_COOKIE_SECURE", "false")
os.environ.setdefault("CSRF_COOKIE_SECURE", "false")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
os.environ.setdefault("SEARCH_BACKEND", "database")
os.environ.setdefault("LOG_FORMAT", "text")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
os.environ.setdefault("TASKS_BACKEND", "django.tasks.backends.immediate.ImmediateBackend")

from config.settings.base import *  # noqa: E402, F403

SHOW_DEMO_CREDENTIALS = True
