import os
import subprocess
import sys
from pathlib import Path

import pytest

from config.env import mailer_from_env

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "SECRET_KEY": "x" * 50,
    "ALLOWED_HOSTS": "portail.example.org",
    "DATABASE_URL": "postgres://portail:secret@db.example.org:5432/portail",
    "EMAIL_URL": "smtp+tls://postmaster:secret@smtp.example.org:587",
}
EMAIL_VARIABLES = ["EMAIL_URL", "EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER",
                   "EMAIL_HOST_PASSWORD", "EMAIL_USE_TLS", "EMAIL_USE_SSL", "EMAIL_TIMEOUT"]  # fmt: skip


def _import_settings(module, setting="DEBUG", **env):
    environment = {k: v for k, v in os.environ.items() if k not in {*PRODUCTION, *EMAIL_VARIABLES}}
    environment.update(env, DJANGO_SETTINGS_MODULE=module)
    return subprocess.run(  # noqa: S603 (our interpreter, our code)
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            f"print(settings.{setting})",
        ],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_refuse_to_start_naming_every_missing_variable():
    result = _import_settings("config.settings.base")
    assert result.returncode != 0
    message = result.stderr.strip().splitlines()[-1]
    assert "Le portail ne démarre pas" in message
    for name in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "EMAIL_URL ou EMAIL_HOST"):
        assert name in message
    assert "docs/deploiement.md" in message


def test_production_settings_refuse_to_start_without_a_mail_server():
    result = _import_settings("config.settings.base", **PRODUCTION | {"EMAIL_URL": ""})
    assert result.returncode != 0
    assert "EMAIL_URL ou EMAIL_HOST" in result.stderr and "SECRET_KEY" not in result.stderr


def test_production_settings_are_safe_by_default():
    result = _import_settings("config.settings.base", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_production_settings_say_whether_load_demo_shows_passwords():
    """`load_demo` reads it (make prod loads the demo under the production settings)."""
    hidden = _import_settings("config.settings.base", "SHOW_DEMO_CREDENTIALS", **PRODUCTION)
    assert (hidden.returncode, hidden.stdout.strip()) == (0, "False"), hidden.stderr
    shown = _import_settings(
        "config.settings.base", "SHOW_DEMO_CREDENTIALS", **PRODUCTION, SHOW_DEMO_CREDENTIALS="true"
    )
    assert shown.stdout.strip() == "True", shown.stderr


@pytest.fixture
def no_email_variables(monkeypatch):
    for name in EMAIL_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_the_mailer_from_one_email_url(no_email_variables):
    no_email_variables.setenv("EMAIL_URL", "smtp+tls://post%40spie.fr:s%3Bcret@smtp.spie.fr:2587")
    assert mailer_from_env() == {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {"host": "smtp.spie.fr", "port": 2587, "username": "post@spie.fr",
                    "password": "s;cret", "use_tls": True, "use_ssl": False, "timeout": 10.0},
    }  # fmt: skip


def test_the_mailer_from_the_usual_variables(no_email_variables):
    for name, value in {"EMAIL_HOST": "smtp.spie.fr", "EMAIL_PORT": "465", "EMAIL_USE_SSL": "true",
                        "EMAIL_HOST_USER": "post", "EMAIL_HOST_PASSWORD": "secret",
                        "EMAIL_TIMEOUT": "4.5"}.items():  # fmt: skip
        no_email_variables.setenv(name, value)
    assert mailer_from_env()["OPTIONS"] == {
        "host": "smtp.spie.fr", "port": 465, "username": "post", "password": "secret",
        "use_tls": False, "use_ssl": True, "timeout": 4.5,
    }  # fmt: skip


def test_a_backend_without_server_has_no_options(no_email_variables):
    no_email_variables.setenv("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
    assert mailer_from_env() == {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
