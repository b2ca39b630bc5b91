"""The database cache's table (`CACHES`, `dbcache://portail_cache` by default): `migrate` is
enough for a fresh install. Nothing is created when the cache is elsewhere (Redis, memory)."""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]
