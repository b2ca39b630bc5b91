"""Commune names folded again with the portal's one folding (`config.text`, by transliteration):
« Bœrsch » was stored as « bersch », now « boersch », what people type."""

from django.db import migrations

from config.text import folded_words

BATCH_SIZE = 2000


def refold(apps, schema_editor):
    Commune = apps.get_model("territoires", "Commune")
    communes = list(Commune.objects.only("code_insee", "nom", "nom_normalise"))
    for commune in communes:
        commune.nom_normalise = folded_words(commune.nom)
    Commune.objects.bulk_update(communes, ["nom_normalise"], batch_size=BATCH_SIZE)


class Migration(migrations.Migration):
    dependencies = [("territoires", "0001_initial")]

    operations = [migrations.RunPython(refold, migrations.RunPython.noop)]
