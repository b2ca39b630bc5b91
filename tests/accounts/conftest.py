import json
import re
import shutil
import subprocess
import time
from html import unescape
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests

from ops.servers import free_port
from tests.conftest import IN_CI

PROVIDER_DIR = Path(__file__).resolve().parents[1] / "proconnect"
CLIENT_ID = "portail-spie-tests"
CLIENT_SECRET = "secret-du-client-de-test-du-portail"
CALLBACK = "http://testserver/comptes/proconnect/retour/"


class LocalProConnect:
    """The provider process and its accounts file."""

    def __init__(self, accounts_file, port):
        self.accounts_file = accounts_file
        self.url = f"http://127.0.0.1:{port}/api/v2"

    def add_account(self, sub, **claims):
        accounts = json.loads(self.accounts_file.read_text())
        accounts[sub] = claims
        self.accounts_file.write_text(json.dumps(accounts))

    def log_in(self, authorize_url, sub):
        """Goes through the provider's login and consent pages as a browser would; returns the
        portal's callback URL (with the code) the provider sends the browser back to."""
        with requests.Session() as browser:
            return self._log_in(browser, authorize_url, sub)

    def _log_in(self, browser, authorize_url, sub):
        response = browser.get(authorize_url, allow_redirects=False)
        for form in ({"prompt": "login", "login": sub, "password": "peu-importe"},
                     {"prompt": "consent"}):  # fmt: skip
            response = self._follow(browser, response)
            action = unescape(re.search(r'<form[^>]*action="([^"]+)"', response.text)[1])
            response = browser.post(urljoin(response.url, action), data=form,
                                    allow_redirects=False)  # fmt: skip
        while not response.headers["Location"].startswith(CALLBACK):
            response = browser.get(urljoin(response.url, response.headers["Location"]),
                                   allow_redirects=False)  # fmt: skip
        return response.headers["Location"]

    @staticmethod
    def _follow(browser, response):
        while response.is_redirect:
            location = urljoin(response.url, response.headers["Location"])
            response = browser.get(location, allow_redirects=False)
        response.raise_for_status()
        return response


@pytest.fixture(scope="session")
def local_proconnect(tmp_path_factory):
    """A real OpenID Connect provider (the npm `oidc-provider` package) shaped like ProConnect,
    started once for the session. Without Node.js or its packages the tests fail in CI and are
    skipped, loudly, elsewhere (`make test` installs them)."""
    node = shutil.which("node")
    if node is None or not (PROVIDER_DIR / "node_modules" / "oidc-provider").exists():
        message = "Node.js ou le paquet npm oidc-provider absent (scripts/ensure-proconnect.sh)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(f"TESTS PROCONNECT IGNORÉS — {message}.")
    accounts_file = tmp_path_factory.mktemp("proconnect") / "comptes.json"
    accounts_file.write_text("{}")
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 (our own script)
        [node, "provider.mjs", str(port), CLIENT_ID, CLIENT_SECRET, CALLBACK,
         "http://testserver/"],
        cwd=PROVIDER_DIR, env={"PROCONNECT_ACCOUNTS": str(accounts_file), "PATH": "/usr/bin:/bin"},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    provider = LocalProConnect(accounts_file, port)
    _wait_until_ready(provider, process)
    yield provider
    process.terminate()
    process.wait(timeout=10)
    process.stderr.close()


def _wait_until_ready(provider, process):
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"Le fournisseur ProConnect local s'est arrêté : {process.stderr.read()}")
        try:
            requests.get(f"{provider.url}/.well-known/openid-configuration", timeout=1)
            return
        except requests.ConnectionError:
            time.sleep(0.1)
    process.kill()
    pytest.fail("Le fournisseur ProConnect local n'a pas démarré en 30 s.")


@pytest.fixture
def proconnect(local_proconnect, settings):
    """The portal configured for the local provider, as it would be for ProConnect."""
    url = local_proconnect.url
    settings.PROCONNECT_URL = url
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{url}/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{url}/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{url}/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{url}/jwks"
    return local_proconnect
