"""Person keys computed again with the portal's one folding (`config.text`, by
transliteration), so that « Lucja » finds « Łucja » again. Anonymised rows keep no key."""

from django.db import migrations

from prescription.models import refresh_person_keys


def rekey(apps, schema_editor):
    refresh_person_keys(apps.get_model("fiche_relais", "Personne"))


class Migration(migrations.Migration):
    dependencies = [("fiche_relais", "0001_initial")]

    operations = [migrations.RunPython(rekey, migrations.RunPython.noop)]
