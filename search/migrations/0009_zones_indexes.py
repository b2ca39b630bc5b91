"""On PostgreSQL, indexes on the zones so that a search reads only the remote services whose
zone covers its place: a trigram index for the codes (`zones LIKE '%|13|%'`) and one for the
services without zones (`zones = ''`, which the trigram index cannot answer: 0008 left the zones
out for that reason). SQLite has no such index and keeps scanning; nothing changes there."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS search_indexentry_zones_trgm "
        "ON search_indexentry USING gin (zones gin_trgm_ops)"
    )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS search_indexentry_no_zone "
        "ON search_indexentry (a_distance) WHERE zones = ''"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS search_indexentry_zones_trgm")
    schema_editor.execute("DROP INDEX IF EXISTS search_indexentry_no_zone")


class Migration(migrations.Migration):
    dependencies = [("search", "0008_trigram_indexes")]

    operations = [migrations.RunPython(create, drop)]
