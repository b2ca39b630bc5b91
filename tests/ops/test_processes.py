"""The processes of the Procfile and the schedule of cron.json: every job exists and runs, the
clock starts what is due, two runs at once send nothing twice, and the long-running loops
outlive a database restart (PostgreSQL: their connection is killed by the server)."""

import datetime
import io
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from django.core import mail
from django.core.management import call_command, get_commands
from django.db import connection, connections

import pytest
import time_machine

from actualisation.models import Rappel
from catalogue.models import Membre
from ops import loop, schedule
from ops.management.commands.clock import Command as Clock
from ops.models import Heartbeat
from prescription.models import Prescription
from saved_searches.enums import AlertFrequency
from saved_searches.models import SavedSearch
from tests.factories import MembreFactory, PrescriptionFactory, ServiceFactory, UserFactory
from tests.ops.conftest import COMMITTED

ROOT = Path(__file__).resolve().parents[2]
UTC = datetime.UTC
NOW = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_the_procfile_runs_the_web_the_worker_and_the_clock():
    processes = dict(line.split(": ", 1) for line in (ROOT / "Procfile").read_text().splitlines())
    assert processes["web"].startswith("gunicorn config.wsgi ")
    assert processes["worker"] == "python manage.py worker"
    assert processes["clock"] == "python manage.py clock"


def test_the_schedule_holds_every_periodic_job():
    names = [job.name for job in schedule.jobs()]
    assert names == [
        "prescriptions_tick", "fiches_relais_tick", "actualisation_tick", "saved_searches_alerts",
        "clearsessions", "purge_connexions", "prune_db_task_results",
    ]  # fmt: skip
    assert all(name in get_commands() for name in names)


@pytest.mark.django_db
@pytest.mark.parametrize("job", schedule.jobs(), ids=lambda job: job.name)
def test_every_job_runs_as_written(job, database_tasks, django_capture_on_commit_callbacks):
    arguments = job.argv()[3:]  # after python manage.py name
    with django_capture_on_commit_callbacks(execute=True):
        call_command(job.name, *arguments, stdout=io.StringIO())


def test_the_cron_fields_say_when_a_job_is_due():
    every_five = schedule.Job("*/5 * * * *", "python manage.py prescriptions_tick")
    daily = schedule.Job("0 6 * * *", "python manage.py actualisation_tick")
    at = datetime.datetime(2026, 3, 2, 5, 58, 30, tzinfo=UTC)
    minute = datetime.timedelta(minutes=1)
    assert schedule.due([every_five, daily], at, at + minute) == []
    assert schedule.due([every_five, daily], at, at + 2 * minute) == [every_five, daily]
    assert schedule.due([every_five, daily], at + 2 * minute, at + 6 * minute) == []
    assert schedule.due([every_five, daily], at + 2 * minute, at + 7 * minute) == [every_five]
    assert every_five.argv() == [sys.executable, "manage.py", "prescriptions_tick"]


def test_the_clock_starts_what_is_due_and_skips_a_job_still_running(caplog):
    clock = Clock()
    clock.jobs = [
        schedule.Job("* * * * *", "python manage.py shell -c 'import time; time.sleep(60)'")
    ]
    clock.running = {}
    at = datetime.datetime.now(UTC)
    [process] = clock.run_due(at, at + datetime.timedelta(minutes=1))
    try:
        assert process.poll() is None  # started, in its own process
        assert clock.run_due(at, at + datetime.timedelta(minutes=1)) == []
        assert "shell encore en cours" in caplog.text
    finally:
        process.kill()
        process.wait()


# Two runs at once (PostgreSQL: two connections, real row locks) -----------------------------


def _twice_at_once(command):
    """Runs the management command `command` in two threads released together."""
    start, errors = threading.Barrier(2), []

    def run():
        start.wait()
        try:
            call_command(command, stdout=io.StringIO())
        except Exception as error:  # noqa: BLE001 — reported by the test
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


@COMMITTED
def test_two_prescription_ticks_at_once_remind_each_structure_once(postgresql):
    for n in range(20):
        PrescriptionFactory(envoyee_le=NOW, service__courriel=f"accueil{n}@example.org")
    with time_machine.travel(NOW + datetime.timedelta(days=10), tick=False):
        _twice_at_once("prescriptions_tick")
    reminders = [m for m in mail.outbox if m.subject.startswith("Rappel")]
    assert sorted(m.to[0] for m in reminders) == sorted(
        f"accueil{n}@example.org" for n in range(20)
    )
    assert not Prescription.objects.filter(relance_le=None).exists()


@COMMITTED
def test_two_digest_ticks_at_once_send_one_digest(postgresql):
    for n in range(5):
        structure = MembreFactory(role=Membre.Role.ADMIN, user__email=f"admin{n}@asso.fr").structure
        service = ServiceFactory(structure=structure)
        service.date_maj = (NOW - datetime.timedelta(days=200)).date()
        service.save()
    with time_machine.travel(NOW, tick=False):
        _twice_at_once("actualisation_tick")
    assert sorted(m.to[0] for m in mail.outbox) == [f"admin{n}@asso.fr" for n in range(5)]
    assert Rappel.objects.filter(envoye_le__isnull=False).count() == 5


@COMMITTED
def test_two_saved_search_alert_runs_at_once_send_each_alert_once(postgresql):
    for n in range(5):
        SavedSearch.objects.create(
            owner=UserFactory(email=f"conseiller{n}@cd13.fr"), name=f"Permis {n}",
            parameters={"code_commune": ["13055"]}, frequency=AlertFrequency.FORTNIGHTLY,
            watched_since=NOW,
        )  # fmt: skip
    with time_machine.travel(NOW + datetime.timedelta(days=1)):
        ServiceFactory(nom="Permis nouveau")
    with time_machine.travel(NOW + datetime.timedelta(days=16), tick=False):
        _twice_at_once("saved_searches_alerts")
    assert sorted(m.to[0] for m in mail.outbox) == [f"conseiller{n}@cd13.fr" for n in range(5)]
    assert SavedSearch.objects.filter(last_alert_at__isnull=False).count() == 5


# Database restarts -----------------------------------------------------------------------------


def _kill_other_connections():
    """What a PostgreSQL restart does to the other processes' connections."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.rowcount


@COMMITTED
def test_the_loop_outlives_its_connection_killed_by_the_server(postgresql, caplog):
    seen, steps = [], iter(range(4))

    def step():
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            seen.append(cursor.fetchone()[0])
        if len(seen) == 1:
            cursor = connections["default"].cursor()
            cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")

    def four_passes():
        try:
            loop.forever(step, 0.01, running=lambda: next(steps, None) is not None)
        finally:
            connections.close_all()

    thread = threading.Thread(target=four_passes)
    thread.start()
    thread.join(timeout=30)
    assert len(set(seen)) == 2  # a new connection after the killed one
    assert "nouvel essai" in caplog.text


@COMMITTED
def test_the_worker_process_outlives_a_database_restart(postgresql, smtp_server):
    """`manage.py worker` in its own process, on this test database: its connection is killed,
    it keeps beating and still sends the e-mails queued afterwards."""
    database = connection.settings_dict
    url = (f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST']}:"
           f"{database['PORT']}/{database['NAME']}")  # fmt: skip
    environment = {k: v for k, v in os.environ.items() if k != "EMAIL_BACKEND"} | {
        "DATABASE_URL": url, "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "EMAIL_URL": smtp_server.url, "DJANGO_SETTINGS_MODULE": "config.settings.test",
    }  # fmt: skip
    worker = subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "worker", "--interval", "0.2"], cwd=ROOT, env=environment
    )
    try:
        first = _wait_for(lambda: Heartbeat.objects.filter(process="worker").first())
        assert _kill_other_connections() >= 1
        later = first.beat_at + datetime.timedelta(seconds=1)
        _wait_for(lambda: Heartbeat.objects.filter(beat_at__gt=later).first())
        _enqueue_a_message(environment)
        _wait_for(lambda: smtp_server.received)
        assert smtp_server.received[0]["To"] == "x@example.org"
        assert worker.poll() is None
    finally:
        worker.terminate()
        worker.wait(timeout=10)


def _enqueue_a_message(environment):
    code = ("import django; django.setup(); from config import mail; "
            "mail.deliver.enqueue(mail.payload(mail.render('catalogue/emails/demande_decidee.txt', "
            "'x@example.org', 'Sujet', demande={'structure': 'S'}, accepted=True, url='u')))")  # fmt: skip
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environment, check=True)  # noqa: S603


def _wait_for(condition, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if found := condition():
            return found
        time.sleep(0.1)
    raise AssertionError("condition jamais remplie")
