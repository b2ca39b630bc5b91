"""`make prod`: the production topology on this machine, with the project's own scripts.

PostgreSQL (scripts/start-postgres.sh, a database of its own), Elasticsearch
(scripts/elasticsearch.sh), an SMTP sink (aiosmtpd writing each message as a file of a Maildir
under `<root>/mails/new/`), an S3-compatible server (moto in server mode, a private bucket),
then honcho running the Procfile — gunicorn with `config.settings.base`, the worker, the clock —
after migrate, collectstatic, bootstrap, load_demo and search_reindex. Every server takes a free
port. `python -m ops.prod` runs it until Ctrl-C; `tests/prod/test_prod.py` drives it
(`make test-prod`).

Sources: the Procfile and docs/deploiement.md (variables, first deploy).
"""

import argparse
import os
import re
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import psycopg

from ops.servers import free_port, wait_listening

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent
S3_KEYS = {"S3_REGION": "us-east-1", "S3_ACCESS_KEY_ID": "portail",
           "S3_SECRET_ACCESS_KEY": "secret-local"}  # fmt: skip
GESTIONNAIRE = "gestionnaire@prod.local"
CREDENTIALS = re.compile(r"^\s+(\S+@\S+) / (\S+)$", re.MULTILINE)


def wait_http(url, process, seconds=120):
    """Returns once `url` answers (any HTTP status); raises if `process` died or after
    `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} : le processus s'est arrêté ({process.returncode}).")
        try:
            urllib.request.urlopen(url, timeout=2).close()  # noqa: S310 (our own server)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} ne répond pas après {seconds} s.")


class Topology:
    """The processes of one production-like run. `start()` then `stop()`; `env` is the
    environment every process of the Procfile reads; `base_url`, `mails` (the Maildir of the
    SMTP sink), `bucket`, `s3_endpoint`, `credentials` (demo e-mail → password)."""

    def __init__(self, root, database="portail_prod", alias=None,
                 structures=300, services=1500, scratch=False):  # fmt: skip
        self.root = Path(root).resolve()
        self.database = database
        # Beside the usual alias (SEARCH_INDEX_ALIAS), never on it.
        self.alias = alias or f"{os.environ.get('SEARCH_INDEX_ALIAS', 'portail-services')}-prod"
        self.demo_size = (structures, services)
        self.scratch = scratch  # the database is dropped by `stop()`
        self.server_url = None
        self.processes = []  # (name, Popen), in starting order
        self.credentials = {}
        self.web_port = free_port()
        self.base_url = f"http://127.0.0.1:{self.web_port}"
        self.mails = self.root / "mails"
        self.bucket = "portail-prod"
        self.s3_endpoint = None
        self.env = None

    def start(self):
        self.root.mkdir(parents=True, exist_ok=True)
        database_url = self.start_postgres()
        self.run(["scripts/elasticsearch.sh", "start"])
        email_url = self.start_smtp_sink()
        self.start_s3()
        self.env = self.environment(database_url, email_url)
        self.prepare()
        self.spawn("honcho", [BIN / "honcho", "start", "--no-prefix", "-f", "Procfile",
                              "-e", os.devnull, "-p", str(self.web_port)])  # fmt: skip
        wait_http(f"{self.base_url}/healthz", self.processes[-1][1])
        return self

    def start_postgres(self):
        """PostgreSQL started by the project's script; our database created (empty) there."""
        self.server_url = self.run(["scripts/start-postgres.sh"]).strip().rsplit("/", 1)[0]
        self.drop_database()
        with psycopg.connect(f"{self.server_url}/postgres", autocommit=True) as db:
            db.execute(f'CREATE DATABASE "{self.database}"')
        return f"{self.server_url}/{self.database}"

    def drop_database(self):
        with psycopg.connect(f"{self.server_url}/postgres", autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')

    def start_smtp_sink(self):
        """aiosmtpd keeping every message it accepts as a file under `mails/new/`."""
        port = free_port()
        self.spawn("smtp", [PYTHON, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}",
                            "-c", "aiosmtpd.handlers.Mailbox", str(self.mails)])  # fmt: skip
        self.wait_port(port)
        return f"smtp://127.0.0.1:{port}"

    def start_s3(self):
        """moto in server mode, with the portal's private bucket."""
        port = free_port()
        self.spawn("s3", [PYTHON, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)])
        self.wait_port(port)
        self.s3_endpoint = f"http://127.0.0.1:{port}"
        self.s3().create_bucket(Bucket=self.bucket)

    def s3(self):
        """A boto3 client of the S3 server."""
        import boto3

        return boto3.client(
            "s3", endpoint_url=self.s3_endpoint, region_name=S3_KEYS["S3_REGION"],
            aws_access_key_id=S3_KEYS["S3_ACCESS_KEY_ID"],
            aws_secret_access_key=S3_KEYS["S3_SECRET_ACCESS_KEY"],
        )  # fmt: skip

    def environment(self, database_url, email_url):
        """The production settings (docs/deploiement.md) pointed at the local servers; plain
        HTTP on 127.0.0.1, so no TLS redirect, secure cookies or HSTS."""
        return (
            os.environ
            | S3_KEYS
            | {
                "DJANGO_SETTINGS_MODULE": "config.settings.base",
                "SECRET_KEY": secrets.token_urlsafe(50),
                "ALLOWED_HOSTS": "127.0.0.1,localhost",
                "DATABASE_URL": database_url,
                "EMAIL_URL": email_url,
                "DEFAULT_FROM_EMAIL": "Portail SPIE <ne-pas-repondre@prod.local>",
                "WAGTAILADMIN_BASE_URL": self.base_url,
                "S3_BUCKET": self.bucket,
                "S3_ENDPOINT_URL": self.s3_endpoint,
                "SEARCH_BACKEND": "elasticsearch",
                "SEARCH_INDEX_ALIAS": self.alias,
                "SECURE_SSL_REDIRECT": "false",
                "SESSION_COOKIE_SECURE": "false",
                "CSRF_COOKIE_SECURE": "false",
                "SECURE_HSTS_SECONDS": "0",
                "STATIC_ROOT": str(self.root / "static"),
                "SHOW_DEMO_CREDENTIALS": "true",
                "WEB_CONCURRENCY": "2",
                "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
            }
        )

    def prepare(self):
        """The first deploy of docs/deploiement.md, plus the demo catalogue to search."""
        structures, services = self.demo_size
        self.manage("migrate", "--noinput")
        self.manage("collectstatic", "--noinput")
        self.manage("bootstrap", "--email", GESTIONNAIRE)
        demo = self.manage("load_demo", "--if-empty", "--structures", str(structures),
                           "--services", str(services))  # fmt: skip
        self.credentials = dict(CREDENTIALS.findall(demo))
        self.manage("search_reindex")

    def manage(self, *arguments):
        """Runs a management command with the production environment; its output (str)."""
        output = self.run([PYTHON, "manage.py", *arguments])
        sys.stdout.write(output)
        return output

    def run(self, command):
        result = subprocess.run(  # noqa: S603
            [str(part) for part in command], cwd=ROOT, env=self.env, capture_output=True,
            text=True,
        )  # fmt: skip
        if result.returncode:
            raise RuntimeError(f"{command} : code {result.returncode}\n{result.stderr}")
        return result.stdout

    def spawn(self, name, command):
        with (self.root / f"{name}.log").open("w") as log:  # the process keeps its own copy
            process = subprocess.Popen(  # noqa: S603
                [str(part) for part in command], cwd=ROOT, env=self.env, stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        self.processes.append((name, process))
        return process

    def wait_port(self, port):
        wait_listening(port, self.processes[-1][1])

    def stop(self):
        """Stops what `start()` started, last first (honcho stops the Procfile's processes)."""
        for _, process in reversed(self.processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.processes.clear()
        if self.scratch and self.server_url:
            self.drop_database()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", default=ROOT / "var" / "prod", type=Path)
    parser.add_argument("--database", default="portail_prod")
    arguments = parser.parse_args()
    topology = Topology(arguments.root, arguments.database)
    for signum in (signal.SIGINT, signal.SIGTERM):  # both stop everything, even in background
        signal.signal(signum, lambda *_: sys.exit(0))
    try:
        topology.start()
        sys.stdout.write(
            f"\nPortail : {topology.base_url} (courriels : {topology.mails}/new/, S3 : "
            f"{topology.s3_endpoint}, journaux : {topology.root}/*.log). Ctrl-C arrête.\n"
        )
        sys.stdout.flush()
        topology.processes[-1][1].wait()
    finally:
        topology.stop()


if __name__ == "__main__":
    main()
