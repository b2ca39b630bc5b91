"""`make bench`: production settings (DEBUG off) on a database and an index of their own."""

import os

from config.env import BASE_DIR

os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'bench.sqlite3'}")
os.environ.setdefault("SEARCH_INDEX_ALIAS", "bench-portail-services")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")  # served over plain HTTP on 127.0.0.1
os.environ.setdefault("SEARCH_API_RATE_LIMIT", "0")  # one client replays hundreds a minute
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")

from config.settings.base import *  # noqa: E402, F403

# The benchmarks measure search, not static files: no `collectstatic` (no manifest) needed.
STORAGES = STORAGES | {  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
}
WHITENOISE_AUTOREFRESH = True
