import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _import_settings(module, **env):
    environment = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL"}}
    environment.update(env, DJANGO_SETTINGS_MODULE=module)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)",
        ],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_refuse_to_start_without_a_secret_key():
    result = _import_settings("config.settings.base")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_settings_are_safe_by_default():
    result = _import_settings("config.settings.base", SECRET_KEY="x" * 50)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
