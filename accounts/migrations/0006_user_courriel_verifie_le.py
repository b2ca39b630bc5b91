from django.db import migrations, models
from django.utils import timezone


def proconnect_accounts_are_verified(apps, schema_editor):
    """ProConnect vouched for the address of the accounts it already logged in; the others
    prove theirs at their first ProConnect login (a link is sent)."""
    User = apps.get_model("accounts", "User")
    User.objects.exclude(proconnect_sub=None).update(courriel_verifie_le=timezone.now())


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_email_unique_whatever_its_case")]

    operations = [
        migrations.AddField(
            model_name="user",
            name="courriel_verifie_le",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="adresse vérifiée le"
            ),
        ),
        migrations.RunPython(proconnect_accounts_are_verified, migrations.RunPython.noop),
    ]
