"""The periodic jobs, from the one schedule committed: `cron.json` at the root, in the format of
the French public PaaS (Scalingo; {"jobs": [{"command": "<5 cron fields> <command>", "size"}]}),
which runs it itself there; elsewhere the `clock` process (Procfile) runs it. Times in UTC."""

import json
import shlex
import sys
from dataclasses import dataclass

from cronsim import CronSim

from config.env import BASE_DIR

CRON_FILE = BASE_DIR / "cron.json"


@dataclass(frozen=True)
class Job:
    schedule: str  # the five cron fields: minute hour day-of-month month day-of-week
    command: str  # the shell command, e.g. "python manage.py prescriptions_tick"

    @property
    def name(self):
        """The management command's name (the word after manage.py)."""
        words = shlex.split(self.command)
        return words[words.index("manage.py") + 1]

    def argv(self):
        """The command's arguments, run with this interpreter."""
        words = shlex.split(self.command)
        return [sys.executable, *words[1:]] if words[0] == "python" else words

    def next_after(self, moment):
        """The first run strictly after `moment` (an aware datetime in UTC)."""
        return next(CronSim(self.schedule, moment))


def jobs(path=CRON_FILE):
    """The jobs of `cron.json`, in its order."""
    entries = json.loads(path.read_text(encoding="utf-8"))["jobs"]
    return [Job(*_split(entry["command"])) for entry in entries]


def _split(line):
    fields = line.split(maxsplit=5)
    return " ".join(fields[:5]), fields[5]


def due(schedule, since, until):
    """The jobs with a run in (since, until] (aware datetimes in UTC)."""
    return [job for job in schedule if job.next_after(since) <= until]
