"""Test settings: `make test`. DATABASE_URL may point at PostgreSQL (CI)."""

import os

from config.env import BASE_DIR

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
os.environ.setdefault("SESSION_COOKIE_SECURE", "false")
os.environ.setdefault("CSRF_COOKIE_SECURE", "false")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
os.environ.setdefault("SEARCH_INDEX_ALIAS", "test-portail-services")
os.environ.setdefault("CACHE_URL", "locmemcache://")  # tests/test_proxy.py shares a real one
os.environ.setdefault("SEARCH_API_RATE_LIMIT", "0")  # the rate-limit test sets its own
os.environ.setdefault("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
# Tasks run in the request (the e-mails reach locmem at once); the tests of the worker set
# the database backend themselves (tests/ops/).
os.environ.setdefault("TASKS_BACKEND", "django.tasks.backends.immediate.ImmediateBackend")

from config.settings.base import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "private": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SHOW_DEMO_CREDENTIALS = False
# Search state is what each test declares: the database backend (its entries live in the test's
# transaction) unless the test asks for Elasticsearch through the `elasticsearch` fixture of
# tests/conftest.py, which empties the index first. And the index is this run's own: two runs at
# once (two checkouts, a developer and CI) never read each other's documents.
SEARCH_BACKEND = "database"
SEARCH_INDEX_ALIAS = f"{SEARCH_INDEX_ALIAS}-{os.getpid()}"  # noqa: F405
# No `collectstatic` in tests: WhiteNoise looks for files when asked instead of at start (where
# it would warn that STATIC_ROOT does not exist).
WHITENOISE_AUTOREFRESH = True
