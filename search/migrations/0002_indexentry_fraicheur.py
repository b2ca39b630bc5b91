import datetime

from django.db import migrations, models


def empty_index(apps, schema_editor):
    """Index entries are derived data: `search_reindex` (run by `make run` when the index is
    empty) rebuilds them with the new fields."""
    apps.get_model("search", "IndexEntry").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(empty_index, migrations.RunPython.noop),
        migrations.AddField(
            model_name="indexentry",
            name="date_maj",
            field=models.DateField(default=datetime.date(2000, 1, 1)),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="indexentry",
            name="perime_le",
            field=models.DateField(
                default=datetime.date(2000, 1, 1),
                help_text="Péremption : au-delà, le service recule à distance égale.",
            ),
            preserve_default=False,
        ),
    ]
