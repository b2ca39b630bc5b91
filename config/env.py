"""The one place that reads the environment, with typed getters (django-environ)."""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"

# What production cannot start without: variable (or alternatives) → what it is.
REQUIRED = {
    ("SECRET_KEY",): "la clé secrète (50 caractères aléatoires ou plus)",
    ("ALLOWED_HOSTS",): "les noms de domaine servis, séparés par des virgules",
    ("DATABASE_URL",): "la base PostgreSQL, postgres://utilisateur:mot-de-passe@hôte:5432/base",
    ("EMAIL_URL", "EMAIL_HOST"): "le serveur SMTP, smtp+tls://utilisateur:mot-de-passe@hôte:587",
}


def require_production_variables():
    """Raises ImproperlyConfigured naming every missing variable of `REQUIRED` at once (an
    e-mail backend other than SMTP, set through EMAIL_BACKEND, needs no server)."""
    missing = [
        f"{' ou '.join(names)} ({meaning})"
        for names, meaning in REQUIRED.items()
        if not any(env.str(name, default="") for name in names)
        and not (names[0] == "EMAIL_URL" and _backend_needs_no_server())
    ]
    if missing:
        raise ImproperlyConfigured(
            "Le portail ne démarre pas : variables d'environnement manquantes : "
            + " ; ".join(missing)
            + ". Voir docs/deploiement.md."
        )


def _backend_needs_no_server():
    return env.str("EMAIL_BACKEND", default=SMTP_BACKEND) != SMTP_BACKEND


def mailer_from_env():
    """The default mailer, as a MAILERS entry ({"BACKEND", "OPTIONS"}), from EMAIL_URL
    (smtp://, smtp+tls:// for STARTTLS, smtp+ssl:// for implicit TLS; user and password
    URL-encoded) or from EMAIL_BACKEND, EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER,
    EMAIL_HOST_PASSWORD, EMAIL_USE_TLS, EMAIL_USE_SSL; EMAIL_TIMEOUT in seconds."""
    if url := env.str("EMAIL_URL", default=""):
        parsed = environ.Env.email_url_config(url)
        backend = parsed["EMAIL_BACKEND"]
        options = {
            "host": parsed["EMAIL_HOST"],
            "port": parsed["EMAIL_PORT"] or None,
            "username": parsed["EMAIL_HOST_USER"] or "",
            "password": parsed["EMAIL_HOST_PASSWORD"] or "",
            "use_tls": bool(parsed.get("EMAIL_USE_TLS")),
            "use_ssl": bool(parsed.get("EMAIL_USE_SSL")),
        }
    else:
        backend = env.str("EMAIL_BACKEND", default=SMTP_BACKEND)
        options = {
            "host": env.str("EMAIL_HOST", default="") or None,
            "port": env.int("EMAIL_PORT", default=None),
            "username": env.str("EMAIL_HOST_USER", default=""),
            "password": env.str("EMAIL_HOST_PASSWORD", default=""),
            "use_tls": env.bool("EMAIL_USE_TLS", default=False),
            "use_ssl": env.bool("EMAIL_USE_SSL", default=False),
        }
    if backend != SMTP_BACKEND:
        return {"BACKEND": backend}
    return {
        "BACKEND": backend,
        "OPTIONS": options | {"timeout": env.float("EMAIL_TIMEOUT", default=10.0)},
    }
