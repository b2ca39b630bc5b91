"""The lock files hold what pyproject.toml pins, each package with its hashes."""

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LOCKS = {"runtime": "requirements.txt", "test": "requirements-dev.txt"}
PIN = re.compile(r"^([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?==([^\s;]+)")


def _normal(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins(group, groups):
    pins = {}
    for entry in groups[group]:
        if isinstance(entry, dict):
            pins |= _pins(entry["include-group"], groups)
        elif match := PIN.match(entry):
            pins[_normal(match[1])] = match[2]
    return pins


def _locked(path):
    """{package: (version, number of hashes)} of a lock file."""
    text = (ROOT / path).read_text().replace("\\\n", " ")
    locked = {}
    for line in text.splitlines():
        if match := PIN.match(line):
            locked[_normal(match[1])] = (match[2], line.count("--hash=sha256:"))
    return locked


@pytest.mark.parametrize("group", LOCKS)
def test_the_lock_file_holds_every_pin_with_its_hashes(group):
    groups = tomllib.loads((ROOT / "pyproject.toml").read_text())["dependency-groups"]
    locked = _locked(LOCKS[group])
    for name, version in _pins(group, groups).items():
        assert locked.get(name, (None,))[0] == version, f"{name} : `make lock`"
    assert all(hashes for _, hashes in locked.values())


def test_make_installs_from_the_lock_with_hashes_only():
    makefile = (ROOT / "Makefile").read_text()
    assert "pip install --quiet --require-hashes -r requirements-dev.txt" in makefile
    assert "--group test\n" not in makefile.split("lock:")[0]
