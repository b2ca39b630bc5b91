"""`make test-prod`: the production topology of `make prod` (ops/prod.py: PostgreSQL, Elasticsearch,
SMTP sink, S3 server, honcho running gunicorn, the worker and the clock), driven end to end in
Chromium. Nothing here touches the database directly: every step goes through the servers, as
an operator's would.

The J+10 reminder: `prescriptions_tick` — the command the clock starts every 5 minutes
(cron.json) — runs with the production environment under a clock moved 11 days ahead
(time-machine, in its own process), and the worker of the topology sends the reminder. The
clock's scheduling itself (which job is due when) is tested in tests/ops/test_processes.py;
moving the clock process's own time would not reach the commands it starts (new processes)."""

import email
import email.policy
import re
import subprocess
import time
import uuid

import pytest
from playwright.sync_api import expect

from ops.prod import PYTHON, ROOT, Topology

pytestmark = pytest.mark.prod

ATTACHMENT = b"%PDF-1.4\n% bilan de la personne, pour le test de production\n"
OUTSIDER = ("curieux@prod.local", "Un-mot-de-passe-tres-long-2026")
MOVED_TICK = """
import datetime, django, time_machine
django.setup()
from django.core.management import call_command
with time_machine.travel(datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=11)):
    call_command("prescriptions_tick")
"""


@pytest.fixture(scope="module")
def topology(tmp_path_factory):
    topology = Topology(
        tmp_path_factory.mktemp("prod"), database=f"scratch_prod_{uuid.uuid4().hex[:8]}",
        structures=40, services=160, scratch=True,
    )  # fmt: skip
    try:
        yield topology.start()
    finally:
        topology.stop()


def received(topology, pattern, seconds=60):
    """The messages of the SMTP sink's Maildir whose subject matches `pattern`, waiting for at
    least one; [email.message.EmailMessage]."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        messages = [
            email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            for path in sorted((topology.mails / "new").glob("*"))
        ]
        found = [message for message in messages if re.search(pattern, message["Subject"])]
        if found:
            return found
        time.sleep(0.5)
    raise AssertionError(f"aucun courriel « {pattern} » en {seconds} s : {messages}")


def log_in(browser, topology, address, password):
    page = browser.new_context(base_url=topology.base_url, locale="fr-FR").new_page()
    page.goto("/comptes/connexion/")
    page.get_by_label(re.compile("Adresse e-mail")).fill(address)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(lambda url: "/comptes/connexion/" not in url)
    return page


def send_prescription(page, tmp_path):
    """From the search page to a sent prescription with one PDF; the detail page's URL."""
    page.goto("/recherche/?lieu=Marseille")
    orienter = page.get_by_role("link", name=re.compile("Orienter vers ce service"))
    expect(orienter.first).to_be_visible()
    orienter.first.click()
    page.locator("#id_nom").fill("Martin")
    page.locator("#id_prenom").fill("Léa")
    page.locator("#id_commune").fill("Aubagne")
    page.locator("#id_telephone").fill("0600000000")
    page.locator("#id_motif").fill("Reprendre un emploi après une longue absence.")
    if page.locator("#id_conditions_remplies").count():
        page.locator("label[for=id_conditions_remplies]").click()
    bilan = tmp_path / "bilan.pdf"
    bilan.write_bytes(ATTACHMENT)
    page.locator("#id_pieces_jointes").set_input_files(bilan)
    page.locator("label[for=id_consentement]").click()
    page.get_by_role("button", name="Envoyer la prescription").click()
    expect(page.locator("#statut")).to_have_text("Envoyée")
    return page.url


def test_production_journey(topology, browser, tmp_path):
    professionnel = "professionnel@demo.spie.fr"
    page = log_in(browser, topology, professionnel, topology.credentials[professionnel])
    detail_url = send_prescription(page, tmp_path)

    # The worker (not the request) sent the structure its e-mail, with the signed link.
    (message,) = received(topology, "^Nouvelle prescription vers")
    link = re.search(
        r"(http://\S+/prescriptions/reponse/\S+/)", message.get_body(("plain",)).get_content()
    ).group(1)
    structure = browser.new_context(base_url=topology.base_url, locale="fr-FR").new_page()
    assert structure.goto(link).status == 200
    expect(structure.get_by_role("button", name="Accepter")).to_be_visible()
    piece_by_link = structure.get_by_role("link", name="bilan.pdf")
    assert structure.request.get(piece_by_link.get_attribute("href")).body() == ATTACHMENT

    # Stored in the bucket (personal files under private/), never on the local disk.
    objects = topology.s3().list_objects_v2(Bucket=topology.bucket, Prefix="private/")
    (stored,) = objects["Contents"]
    body = topology.s3().get_object(Bucket=topology.bucket, Key=stored["Key"])["Body"].read()
    assert body == ATTACHMENT

    # Served to the prescripteur; refused to an outsider and to an anonymous visitor.
    page.goto(detail_url)
    piece_url = topology.base_url + page.get_by_role("link", name="bilan.pdf").get_attribute("href")
    answer = page.request.get(piece_url)
    assert (answer.status, answer.body()) == (200, ATTACHMENT)
    topology.manage("shell", "-c", "from accounts.models import User; "
                    f"User.objects.create_user(email='{OUTSIDER[0]}', password='{OUTSIDER[1]}')")  # fmt: skip
    outsider = log_in(browser, topology, *OUTSIDER)
    assert outsider.request.get(piece_url).status == 404
    anonymous = browser.new_context().request.get(piece_url, max_redirects=0)
    assert anonymous.status == 302 and "/comptes/connexion/" in anonymous.headers["location"]

    # J+10: the clock's command under a moved clock; the worker sends the reminder.
    subprocess.run([PYTHON, "-c", MOVED_TICK], cwd=ROOT, env=topology.env, check=True)  # noqa: S603
    (reminder,) = received(topology, "^Rappel : prescription en attente")
    assert reminder["To"] == message["To"]
    assert "/prescriptions/reponse/" in reminder.get_body(("plain",)).get_content()
