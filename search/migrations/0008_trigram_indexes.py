"""On PostgreSQL, trigram indexes (pg_trgm) on the columns the database backend searches with
LIKE '%…%': the words (tokens) and the thématiques. Not the zones: a search also asks for the
services without zones (`zones = ''`), which PostgreSQL then read through the whole trigram
index. SQLite has no such index and keeps scanning; nothing changes there."""

from django.db import migrations

COLUMNS = ("tokens", "thematiques")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS search_indexentry_{column}_trgm "
            f"ON search_indexentry USING gin ({column} gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS search_indexentry_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [("search", "0007_corpus_statistics")]

    operations = [migrations.RunPython(create, drop)]
