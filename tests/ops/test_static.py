"""Under gunicorn and the production settings, the DSFR's CSS and JavaScript and ours are
served by the application itself (WhiteNoise): hashed names, compressed, cached for ever."""

import http.client
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from dsfr.constants import DsfrStaticAssets

from tests.smtp import free_port
from tests.test_settings import EMAIL_VARIABLES, PRODUCTION

ROOT = Path(__file__).resolve().parents[2]
# What every page loads: the DSFR's style sheet and scripts, ours.
ASSETS = [DsfrStaticAssets.DSFR_CSS, DsfrStaticAssets.DSFR_UTILITY_CSS,
          DsfrStaticAssets.DSFR_MODULE_JS, "css/portail.css", "js/recherche.js"]  # fmt: skip


def _production(tmp_path):
    kept = {k: v for k, v in os.environ.items() if k not in {*PRODUCTION, *EMAIL_VARIABLES}}
    return (
        kept
        | PRODUCTION
        | {
            "DJANGO_SETTINGS_MODULE": "config.settings.base",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "STATIC_ROOT": str(tmp_path / "static"),
            "BEHIND_TLS_PROXY": "true",
            "SEARCH_BACKEND": "database",
        }
    )


def _manage(env, *arguments):
    subprocess.run([sys.executable, "manage.py", *arguments], cwd=ROOT, env=env, check=True)  # noqa: S603


def _get(port, path):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers={
        "Host": "portail.example.org", "X-Forwarded-Proto": "https", "Accept-Encoding": "gzip",
    })  # fmt: skip
    try:
        response = connection.getresponse()
        return response, response.read()
    finally:
        connection.close()


def _started(port, server, path):
    for _ in range(150):
        try:
            return _get(port, path)
        except OSError:
            assert server.poll() is None, "gunicorn s'est arrêté"
            time.sleep(0.2)
    raise AssertionError("gunicorn ne répond pas")


def test_gunicorn_serves_the_dsfr_css_and_javascript_under_production_settings(tmp_path):
    env = _production(tmp_path)
    _manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())["paths"]
    port = free_port()
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", "1", "--log-level", "warning"], cwd=ROOT, env=env,
    )  # fmt: skip
    try:
        assets = [f"/static/{manifest[name]}" for name in ASSETS]
        _started(port, server, assets[0])
        for path in assets:
            response, content = _get(port, path)
            assert response.status == 200, path
            assert response.getheader("Content-Encoding") == "gzip", path
            assert "immutable" in response.getheader("Cache-Control"), path
            assert content
    finally:
        server.terminate()
        server.wait(timeout=10)
