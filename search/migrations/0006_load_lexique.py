from django.db import migrations

from search import lexique


def load(apps, schema_editor):
    """The lexicon as shipped in search/data/lexique.csv; later runs of `load_lexique` add what
    the file gained."""
    lexique.load_rows(apps.get_model("search", "SynonymGroup"), lexique.read_rows())


def unload(apps, schema_editor):
    apps.get_model("search", "SynonymGroup").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0005_synonymgroup")]

    operations = [migrations.RunPython(load, unload)]
