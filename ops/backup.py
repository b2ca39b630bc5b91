"""Backups of the PostgreSQL database and the restore drill.

`backup`: `pg_dump --format=custom` and, beside it, the number of rows of every table, both
read from the same snapshot (`pg_export_snapshot`), so the drill can tell a faithful restore.
`restore_drill`: the dump restored into a scratch database of the same server, every table
counted and compared, the scratch database dropped."""

import json
import os
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError

import psycopg
from psycopg import sql

TABLES = "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"


def database():
    """The default database's settings; CommandError when it is not PostgreSQL."""
    database = settings.DATABASES["default"]
    if "postgresql" not in database["ENGINE"]:
        raise CommandError("Sauvegarde et restauration : PostgreSQL seulement (DATABASE_URL).")
    return database


def connect(name=None, autocommit=False):
    database_ = database()
    return psycopg.connect(
        host=database_["HOST"], port=database_["PORT"] or 5432, user=database_["USER"],
        password=database_["PASSWORD"], dbname=name or database_["NAME"], autocommit=autocommit,
    )  # fmt: skip


def client_env():
    """The environment of pg_dump and pg_restore: the server and its credentials."""
    database_ = database()
    return os.environ | {
        "PGHOST": database_["HOST"], "PGPORT": str(database_["PORT"] or 5432),
        "PGUSER": database_["USER"], "PGPASSWORD": database_["PASSWORD"],
    }  # fmt: skip


def counts(connection):
    """{table: rows} for every table of the public schema."""
    tables = [row[0] for row in connection.execute(TABLES)]
    count = sql.SQL("SELECT count(*) FROM {}")
    return {t: connection.execute(count.format(sql.Identifier(t))).fetchone()[0] for t in tables}


def inventory_of(dump):
    return Path(f"{dump}.counts.json")


def backup(dump):
    """Writes `dump` (pg_dump's custom format) and `<dump>.counts.json`; returns the counts."""
    with connect() as connection:
        connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        snapshot = connection.execute("SELECT pg_export_snapshot()").fetchone()[0]
        subprocess.run(  # noqa: S603
            ["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={dump}",  # noqa: S607
             database()["NAME"]], env=client_env(), check=True,
        )  # fmt: skip
        found = counts(connection)
    inventory_of(dump).write_text(json.dumps(found, indent=1, sort_keys=True))
    return found


def restore_drill(dump, keep=False):
    """Restores `dump` into `<database>_exercice` and compares every table's rows with the
    inventory written by `backup`; returns the differences {table: (expected, restored)}."""
    expected = json.loads(inventory_of(dump).read_text())
    scratch = f"{database()['NAME']}_exercice"
    with connect("postgres", autocommit=True) as server:
        server.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(scratch)))
        server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(scratch)))
    try:
        subprocess.run(  # noqa: S603
            ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",  # noqa: S607
             f"--dbname={scratch}", str(dump)], env=client_env(), check=True,
        )  # fmt: skip
        with connect(scratch) as connection:
            restored = counts(connection)
    finally:
        if not keep:
            with connect("postgres", autocommit=True) as server:
                server.execute(sql.SQL("DROP DATABASE {}").format(sql.Identifier(scratch)))
    tables = sorted(expected.keys() | restored.keys())
    return {
        table: (expected.get(table), restored.get(table))
        for table in tables
        if expected.get(table) != restored.get(table)
    }
