"""Backup and restore drill on the real PostgreSQL: the dump restored into a scratch database
holds as many rows in every table as the database had at the dump's instant."""

import io
import json

from django.core.management import call_command
from django.core.management.base import CommandError

import pytest

from tests.factories import PrescriptionFactory
from tests.ops.conftest import COMMITTED


def _backup(tmp_path):
    out = io.StringIO()
    call_command("backup", dossier=tmp_path, stdout=out)
    [dump] = tmp_path.glob("*.dump")
    return dump, out.getvalue()


@COMMITTED
def test_a_backup_restores_faithfully(postgresql, tmp_path):
    PrescriptionFactory.create_batch(3)
    dump, said = _backup(tmp_path)
    counts = json.loads((tmp_path / f"{dump.name}.counts.json").read_text())
    assert counts["prescription_prescription"] == 3 and counts["territoires_commune"] > 30_000
    assert "tables" in said

    out = io.StringIO()
    call_command("restore_drill", str(dump), stdout=out)
    assert "Restauration fidèle" in out.getvalue()
    with postgresql.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname LIKE %s", ["%_exercice"])
        assert cursor.fetchone() is None  # the scratch database is dropped


@COMMITTED
def test_the_drill_fails_on_a_restore_that_lost_rows(postgresql, tmp_path):
    PrescriptionFactory()
    dump, _ = _backup(tmp_path)
    inventory = tmp_path / f"{dump.name}.counts.json"
    counts = json.loads(inventory.read_text())
    inventory.write_text(json.dumps(counts | {"prescription_prescription": 2}))

    with pytest.raises(CommandError, match="prescription_prescription : 2 attendues, 1 restaurées"):
        call_command("restore_drill", str(dump), stdout=io.StringIO())
